"""Find the Redis the tests talk to: REDIS_URL, else a private redis-server, else fakeredis."""
from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass

import redis

TEST_DB = 13  # on a shared Redis (REDIS_URL), tests keep to their own database and flush only it


@dataclass
class RedisServer:
    """A redis-server process of the tests' own, on a free loopback port."""

    process: subprocess.Popen
    port: int
    workdir: tempfile.TemporaryDirectory

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @classmethod
    def start(cls) -> "RedisServer":
        port = free_port()
        workdir = tempfile.TemporaryDirectory(prefix="lantern-redis-")
        process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", workdir.name],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        server = cls(process, port, workdir)
        server.wait_ready()
        return server

    def wait_ready(self, timeout: float = 10.0) -> None:
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.workdir.cleanup()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_test_db(url: str) -> str:
    """The same server, the tests' own database number."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{TEST_DB}"))
