"""Slow and idle connections and open chat streams never keep Twilio waiting: the Procfile's web command,
as written, started here, answers a signed webhook in under 3 s while they are open."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from contextlib import ExitStack

import pytest

from bench.servers import procfile_web_command, server_env
from bench.slow_clients import (
    BUDGET_SECONDS, environment, open_idle, open_slow, open_streams, start_web, streaming_config, time_webhooks,
)
from bench.load import Target
from tests.conftest import TEST_CONFIG_DIR
from tests.redis_server import free_port


@pytest.fixture
def web(redis_url, tmp_path):
    if redis_url is None:
        pytest.skip("no Redis server for a gunicorn process to share")
    server, target = start_web(redis_url, streaming_config(tmp_path / "config", TEST_CONFIG_DIR), tmp_path)
    yield target
    server.stop()


def test_a_signed_webhook_is_answered_while_slow_idle_and_streaming_connections_are_open(web):
    with ExitStack() as stack:
        open_slow(web, 24, stack)  # twice what took both sync workers before
        open_idle(web, 24, stack)
        assert open_streams(web, 12, stack) == 12  # more than the 10 that starved SMS with stream_seconds 20
        started = time.monotonic()
        timed = time_webhooks(web, 5, 0)
        assert timed.failures == 0
        assert max(timed.seconds) < BUDGET_SECONDS, timed.seconds
        assert time.monotonic() - started < 5 * BUDGET_SECONDS


def test_a_connection_that_goes_silent_mid_request_is_closed_so_its_thread_is_freed(web):
    from config.gunicorn import READ_TIMEOUT_SECONDS

    with socket.create_connection((web.host, web.port), timeout=READ_TIMEOUT_SECONDS + 5) as sock:
        sock.sendall(b"POST /webhooks/sms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
        started = time.monotonic()
        assert sock.recv(1024) == b""  # closed by the server, not by our own timeout
        assert READ_TIMEOUT_SECONDS - 1 < time.monotonic() - started < READ_TIMEOUT_SECONDS + 3


@pytest.mark.parametrize("change, named", [
    (("--worker-class", "config.gunicorn.ThreadWorker", "sync"), "stream_seconds is 20"),
    (("--threads", "64", "2"), "--threads (WEB_THREADS) is 2"),
    (("--threads", "64", "20"), "max_streams is 8"),
], ids=["sync-workers-with-streams", "too-few-threads", "streams-leave-too-few-threads"])
def test_the_web_role_refuses_to_start_with_settings_that_would_starve_the_webhook(tmp_path, redis_url, change,
                                                                                    named):
    option, old, new = change
    command = procfile_web_command("app:app", free_port())
    at = command.index(option)
    assert command[at + 1] == old
    command[at + 1] = new
    if new == "sync":
        command[command.index("--threads"):command.index("--threads") + 2] = []
    target = Target("127.0.0.1", 0, "http://127.0.0.1", "bench-auth-token-not-real", "AC" + "0" * 32, "+15555550199")
    env = server_env(environment(redis_url or "redis://127.0.0.1:9", target,
                                 streaming_config(tmp_path / "config", TEST_CONFIG_DIR)))
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert finished.returncode != 0
    assert named in finished.stderr and "Lantern will not start the web role" in finished.stderr
