"""A replicated Redis of the tests' own on loopback: a primary, its replicas and Redis Sentinels
(`redis-server --sentinel`), each on a free port, stopped (all of them) by `stop()`."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import redis

from tests.redis_server import free_port

MASTER_NAME = "lantern"
# Quick enough for a test (a failover in about 2 s), slow enough not to fail over on a busy machine.
DOWN_AFTER_MS = 1000


@dataclass
class Node:
    port: int
    process: subprocess.Popen

    def client(self, **options) -> redis.Redis:
        return redis.Redis(port=self.port, socket_connect_timeout=0.5, socket_timeout=2, **options)


@dataclass
class SentinelTopology:
    workdir: Path
    primary: Node | None = None
    replicas: list[Node] = field(default_factory=list)
    sentinels: list[Node] = field(default_factory=list)

    @classmethod
    def start(cls, replicas: int = 2, sentinels: int = 3) -> "SentinelTopology":
        if not shutil.which("redis-server"):
            raise RuntimeError("needs redis-server")
        topology = cls(Path(tempfile.mkdtemp(prefix="lantern-sentinel-")))
        try:
            topology.primary = topology._redis("primary")
            topology.replicas = [topology._redis(f"replica{n}", topology.primary.port) for n in range(replicas)]
            topology._wait_replicated(replicas)
            topology.sentinels = [topology._sentinel(n, quorum=sentinels // 2 + 1) for n in range(sentinels)]
            topology._wait_sentinels_see_everything(replicas, sentinels)
        except Exception:
            topology.stop()
            raise
        return topology

    @property
    def sentinel_addresses(self) -> str:
        """REDIS_SENTINELS for these sentinels."""
        return ",".join(f"127.0.0.1:{node.port}" for node in self.sentinels)

    def environment(self) -> dict[str, str]:
        return {"REDIS_SENTINELS": self.sentinel_addresses, "REDIS_SENTINEL_MASTER": MASTER_NAME}

    def master_port(self) -> int | None:
        """The primary's port as the sentinels say it (None if none answers)."""
        for node in self.sentinels:
            try:
                return int(node.client().sentinel_get_master_addr_by_name(MASTER_NAME)[1])
            except (redis.RedisError, TypeError):
                continue
        return None

    def kill_primary(self) -> int:
        """SIGKILL the primary (it saves nothing); returns its port."""
        self.primary.process.kill()
        self.primary.process.wait(5)
        return self.primary.port

    def wait_failover(self, old_port: int, timeout: float = 30.0) -> int:
        """Until the sentinels name a new primary that takes writes; its port."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            port = self.master_port()
            if port and port != old_port:
                try:
                    if redis.Redis(port=port, socket_timeout=1).info("replication")["role"] == "master":
                        return port
                except redis.RedisError:
                    pass
            time.sleep(0.1)
        raise RuntimeError("no failover within %.0f s" % timeout)

    def stop(self) -> None:
        for node in [*self.sentinels, *self.replicas, *([self.primary] if self.primary else [])]:
            if node.process.poll() is None:
                node.process.kill()
            node.process.wait(5)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def _redis(self, name: str, primary_port: int | None = None) -> Node:
        port, directory = free_port(), self.workdir / name
        directory.mkdir()
        args = [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(directory), "--repl-diskless-sync", "yes",
                "--repl-diskless-sync-delay", "0"]
        if primary_port:
            args += ["--replicaof", "127.0.0.1", str(primary_port)]
        node = Node(port, subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        _wait(lambda: node.client().ping(), f"redis {name}")
        return node

    def _sentinel(self, number: int, quorum: int) -> Node:
        port = free_port()
        config = self.workdir / f"sentinel{number}.conf"
        config.write_text(
            f"port {port}\nbind 127.0.0.1\ndir {self.workdir}\n"
            f"sentinel monitor {MASTER_NAME} 127.0.0.1 {self.primary.port} {quorum}\n"
            f"sentinel down-after-milliseconds {MASTER_NAME} {DOWN_AFTER_MS}\n"
            f"sentinel failover-timeout {MASTER_NAME} 10000\nsentinel parallel-syncs {MASTER_NAME} 2\n")
        process = subprocess.Popen([shutil.which("redis-server"), str(config), "--sentinel"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        node = Node(port, process)
        _wait(lambda: node.client().ping(), f"sentinel {number}")
        return node

    def _wait_replicated(self, replicas: int) -> None:
        def synced() -> bool:
            info = self.primary.client().info("replication")
            states = [info.get(f"slave{n}", {}).get("state") for n in range(replicas)]
            return info["connected_slaves"] == replicas and all(s == "online" for s in states)
        _wait(synced, "replicas in sync")

    def _wait_sentinels_see_everything(self, replicas: int, sentinels: int) -> None:
        def seen() -> bool:
            for node in self.sentinels:
                master = node.client().sentinel_master(MASTER_NAME)
                if int(master["num-slaves"]) < replicas or int(master["num-other-sentinels"]) < sentinels - 1:
                    return False
            return True
        _wait(seen, "sentinels to see the replicas and each other", timeout=30)


def _wait(ready, what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except (redis.RedisError, KeyError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"timed out waiting for {what}")
