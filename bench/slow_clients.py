"""Slow clients benchmark: signed webhooks while N slow and idle connections and M chat streams are open.

Run from the repo root: `.venv/bin/python bench/slow_clients.py` (about half a minute; `--help`).
It starts the Procfile's `web:` command as written (its own private redis-server, loopback only,
what LANTERN_ENV=production requires with made-up secrets, chat.yaml's stream_seconds set to 20),
times signed webhooks with nothing else open, then opens the slow connections (half a request each,
never finished), the idle ones (connected, nothing sent) and the chat streams (each held open by the
server for stream_seconds), and times the same number of webhooks again. It prints p50, p99 and the
slowest of both, and whether the p99 with everything open is under Twilio's budget (3 s here; Twilio
gives up at 15 s).

The scenario lives here so that tests/test_slow_clients.py runs the very same one, smaller.
"""
from __future__ import annotations

import argparse
import json
import secrets
import shutil
import socket
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make the repo's packages importable
    sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from bench.load import Target, exchange, signed_request  # noqa: E402
from bench.servers import Gunicorn, procfile_web_command, server_env  # noqa: E402
from config.settings import DEFAULT_CONFIG_DIR, new_data_key  # noqa: E402
from tests.redis_server import RedisServer, free_port  # noqa: E402

BUDGET_SECONDS = 3.0
STREAM_SECONDS = 20


@dataclass
class Latencies:
    seconds: list[float]
    failures: int

    def percentile(self, q: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def environment(redis_url: str, target: Target, config_dir: Path) -> dict[str, str]:
    """What production requires, with secrets made up for this run only."""
    return {
        "LANTERN_ENV": "production", "REDIS_URL": redis_url, "TWILIO_AUTH_TOKEN": target.auth_token,
        "TWILIO_ACCOUNT_SID": target.account_sid, "TWILIO_NUMBER": target.hotline,
        "PUBLIC_BASE_URL": target.public_base_url, "SECRET_KEY": secrets.token_urlsafe(32),
        "LANTERN_DATA_KEYS": new_data_key(), "LANTERN_LOOKUP_KEY": secrets.token_urlsafe(32),
        "LANTERN_CONFIG_DIR": str(config_dir), "TWILIO_API_BASE": "http://127.0.0.1:9",
    }


def streaming_config(target_dir: Path, source: Path = DEFAULT_CONFIG_DIR, **chat: object) -> Path:
    """A copy of a config directory whose chat.yaml holds streams open (and any other keys given)."""
    shutil.copytree(source, target_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = target_dir / "chat.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    data.update({"stream_seconds": STREAM_SECONDS, **chat})
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return target_dir


def open_slow(target: Target, count: int, stack: ExitStack) -> None:
    """Half a signed webhook each: the headers and a few bytes of a body that never comes."""
    for n in range(count):
        sock = stack.enter_context(socket.create_connection((target.host, target.port)))
        sock.sendall(signed_request(target, 900_000 + n)[:-20] if n % 2 else
                     f"POST /webhooks/sms HTTP/1.1\r\nHost: {target.host}\r\nContent-Le".encode())


def open_idle(target: Target, count: int, stack: ExitStack) -> None:
    for _ in range(count):
        stack.enter_context(socket.create_connection((target.host, target.port)))


def open_streams(target: Target, count: int, stack: ExitStack) -> int:
    """Chat tabs, each with an event stream the server holds open; returns how many answered with SSE."""
    opened = 0
    for _ in range(count):
        try:
            opened += open_stream(target, stack)
        except OSError:  # the server too busy to open one in 10 s: counted as not opened
            pass
    return opened


def open_stream(target: Target, stack: ExitStack) -> bool:
    body = b'{"lang": "en"}'
    status, answer = exchange(target.host, target.port, (
        f"POST /chat/session HTTP/1.1\r\nHost: {target.host}\r\nOrigin: {target.public_base_url}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body, timeout=10)
    if status != 201:
        return False
    token = json.loads(answer)["token"]
    sock = stack.enter_context(socket.create_connection((target.host, target.port), timeout=10))
    sock.sendall(f"GET /chat/messages HTTP/1.1\r\nHost: {target.host}\r\nAccept: text/event-stream\r\n"
                 f"X-Chat-Token: {token}\r\n\r\n".encode())
    return b"text/event-stream" in sock.recv(4096)


def time_webhooks(target: Target, count: int, first: int) -> Latencies:
    """Signed webhooks one after another, each on its own connection, timed connect to last byte."""
    seconds, failures = [], 0
    for n in range(first, first + count):
        started = time.monotonic()
        try:
            status, body = exchange(target.host, target.port, signed_request(target, n), timeout=20)
        except OSError:
            status, body = 0, b""
        seconds.append(time.monotonic() - started)
        failures += status != 200 or b"<Message>" not in body
    return Latencies(seconds, failures)


def start_web(redis_url: str, config_dir: Path, logs: Path) -> tuple[Gunicorn, Target]:
    port = free_port()
    target = Target("127.0.0.1", port, f"http://127.0.0.1:{port}", "bench-auth-token-not-real",
                    "AC" + "0" * 32, "+15555550199")
    server = Gunicorn.start(procfile_web_command("app:app", port),
                            server_env(environment(redis_url, target, config_dir)), port, logs / "web.log")
    server.wait_ready()
    return server, target


def run(slow: int, idle: int, streams: int, webhooks: int) -> tuple[Latencies, Latencies, int]:
    """(webhooks alone, webhooks with everything open, chat streams that opened)."""
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lantern-slow-")))
        redis = RedisServer.start()
        stack.callback(redis.stop)
        server, target = start_web(redis.url, streaming_config(scratch / "config"), scratch)
        stack.callback(server.stop)
        alone = time_webhooks(target, webhooks, 0)
        open_slow(target, slow, stack)
        open_idle(target, idle, stack)
        opened = open_streams(target, streams, stack)
        crowded = time_webhooks(target, webhooks, webhooks)
        return alone, crowded, opened


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slow", type=int, default=40, help="half-sent requests held open (N)")
    parser.add_argument("--idle", type=int, default=40, help="connections that send nothing")
    parser.add_argument("--streams", type=int, default=16, help="chat event streams held open (M)")
    parser.add_argument("--webhooks", type=int, default=200, help="signed webhooks timed in each phase")
    args = parser.parse_args(argv)
    alone, crowded, opened = run(args.slow, args.idle, args.streams, args.webhooks)
    print(f"Procfile web: {' '.join(procfile_web_command('app:app', 0)[1:])}")
    print(f"{'':34} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'failed':>7}")
    for label, lat in (("webhooks alone", alone),
                       (f"with {args.slow} slow, {args.idle} idle, {opened} streams", crowded)):
        print(f"{label:34} {lat.percentile(0.5) * 1000:8.1f} {lat.percentile(0.99) * 1000:8.1f} "
              f"{max(lat.seconds) * 1000:8.1f} {lat.failures:7d}")
    ok = crowded.percentile(0.99) < BUDGET_SECONDS and not crowded.failures
    print(f"p99 with everything open < {BUDGET_SECONDS:g} s: {'ok' if ok else 'MISS'}"
          f" ({opened} of {args.streams} chat streams held open by the server)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
