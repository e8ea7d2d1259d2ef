"""The Procfile's roles as a deployment runs them: the worker line, as written, sends the pages."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ALEXIS, SAM, environ_for

ROOT = Path(__file__).resolve().parent.parent


def procfile_role(role: str) -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == role:
            return command.strip()
    raise AssertionError(f"no {role}: line in the Procfile")


def test_the_procfile_worker_sends_the_pages(make_texter, roster, twilio_api, redis_url, settings):
    if redis_url is None:
        pytest.skip("no Redis server for a worker process to share")
    survivor = make_texter("+15555550180")
    survivor.send("hello"), survivor.send("can I talk to someone")
    assert twilio_api.sent == []  # queued for the worker, not sent by the web process
    command = procfile_role("worker").replace("$REDIS_URL", redis_url)
    env = dict(os.environ, **environ_for(redis_url, TWILIO_API_BASE=twilio_api.url,
                                         LANTERN_CONFIG_DIR=str(settings.config_dir)))
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    # As a platform runs a Procfile line: through a shell, which fills in ${WORKER_PROCESSES:-2}.
    finished = subprocess.run(["/bin/sh", "-c", f"exec {command} --burst"], cwd=ROOT, env=env, capture_output=True,
                              timeout=60)
    assert finished.returncode == 0, finished.stderr.decode()[-2000:]
    assert len(twilio_api.to(ALEXIS)) == 1 and len(twilio_api.to(SAM)) == 1
    assert "5555550180" not in finished.stderr.decode() + finished.stdout.decode()  # nothing personal in its logs


def test_the_procfile_web_role_serves_app_on_port():
    web = procfile_role("web")
    assert web.startswith("gunicorn app:app") and "$PORT" in web
