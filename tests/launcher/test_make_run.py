"""`make run` from a clean copy of the repository: the whole line on one embedded store.

The copy reuses this virtualenv (`VENV=`), so the test measures Lantern starting, not pip.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.redis_server import free_port
from tests.twilio_signing import twilio_signature

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.executable).parent.parent
SURVIVOR = "+15555550150"
SERVING_WITHIN_SECONDS = 45
ESCALATE_URGENT_MINUTES = 1


def clean_copy(target: Path) -> Path:
    """The working tree as a fresh clone would have it: tracked and new files, nothing ignored."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


class Output:
    """Everything `make run` prints, collected as it comes."""

    def __init__(self, stream):
        self.text = ""
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in iter(stream.readline, ""):
            self.text += line

    def wait_for(self, pattern: str, timeout: float = 20) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.text)
            if found:
                return found
            time.sleep(0.1)
        raise AssertionError(f"{pattern!r} never printed; make run printed:\n{self.text[-3000:]}")


class Line:
    def __init__(self, copy: Path, port: int, process: subprocess.Popen, output: Output, started: float):
        self.copy, self.port, self.process, self.output = copy, port, process, output
        self.base = f"http://127.0.0.1:{port}"
        self.started = started

    def flask(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
        """A `flask --app app …` command in another terminal of the same copy."""
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "LANTERN_LINE_FILE")}
        return subprocess.run([str(VENV / "bin" / "flask"), "--app", "app", *args], cwd=self.copy, env=env,
                              input=stdin, capture_output=True, text=True, timeout=60, check=False)

    def text_the_hotline(self, sender: str, body: str) -> requests.Response:
        """Post as Twilio would, signed with the token this run made up (from its line file)."""
        variables = json.loads((self.copy / "instance" / "embedded-line.json").read_text())
        url = self.base + "/webhooks/sms"
        params = {"MessageSid": "SM" + os.urandom(16).hex(), "From": sender, "To": "+15555550199", "Body": body,
                  "NumMedia": "0"}
        signature = twilio_signature(variables["TWILIO_AUTH_TOKEN"], url, params)
        return requests.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=10)


@pytest.fixture(scope="module")
def line(tmp_path_factory):
    copy = clean_copy(tmp_path_factory.mktemp("fresh-clone"))
    # The organisation's own setting, shortened so that escalation is seen within the test.
    org = copy / "config" / "org.yaml"
    org.write_text(re.sub(r"(escalation_minutes:\n  urgent: )\d+", rf"\g<1>{ESCALATE_URGENT_MINUTES}",
                          org.read_text(encoding="utf-8")), encoding="utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "LANTERN_LINE_FILE", "MAKEFLAGS")}
    env["PORT"] = str(port)
    started = time.monotonic()
    process = subprocess.Popen(["make", f"VENV={VENV}", "-o", f"{VENV}/.installed", "run"], cwd=copy, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output = Output(process.stdout)
    running = Line(copy, port, process, output, started)
    try:
        output.wait_for(r"NOTHING IS KEPT", timeout=SERVING_WITHIN_SECONDS)
        yield running
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the terminal reaches the whole group
            process.wait(timeout=20)
        process.stdout.close()


def test_make_run_serves_quickly_and_says_nothing_is_kept(line):
    seconds = time.monotonic() - line.started
    assert seconds < SERVING_WITHIN_SECONDS
    health = requests.get(line.base + "/healthz", timeout=5).json()
    assert health == {"status": "ok", "redis": "ok", "store": "embedded"}
    assert "every conversation, advocate" in line.output.text and "gone when this stops" in line.output.text
    print(f"make run: serving {seconds:.1f} s after it started (virtualenv reused)")


def test_a_text_is_answered_and_the_worker_pages_the_demo_advocates(line):
    reply = line.text_the_hotline(SURVIVOR, "he hits me")
    assert reply.status_code == 200 and "911" in reply.text
    # The page leaves through the worker process, not the web one that took the text.
    page = line.output.wait_for(r"\(would text advocate alexis demo \(([A-Z0-9]{4})\)\) Lantern: URGENT request")
    line.output.wait_for(rf"\(would text advocate riley demo \({page.group(1)}\)\)")
    assert "5555550150" not in line.output.text and "hits me" not in line.output.text


def test_the_printed_sign_in_opens_the_console_with_the_waiting_request(line):
    password = line.output.wait_for(r"sign in as Morgan Demo \(supervisor\), password: (\S+)").group(1)
    browser = requests.Session()
    login = browser.get(line.base + "/console/login", timeout=5)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
    queue = browser.post(line.base + "/console/login", timeout=5,
                         data={"csrf_token": csrf, "name": "Morgan Demo", "password": password})
    assert queue.status_code == 200 and "Sign out" in queue.text
    line.text_the_hotline("+15555550151", "can I talk to someone")
    code = line.output.wait_for(r"\(would text advocate alexis demo \(([A-Z0-9]{4})\)\) Lantern: ").group(1)
    assert code in browser.get(line.base + "/console/", timeout=5).text


def test_an_unclaimed_urgent_request_pages_again_on_time(line):
    """The worker's scheduler runs for real: nobody claims, and after the configured minute everyone is paged again."""
    line.text_the_hotline("+15555550155", "he has a gun, help")
    texted = time.monotonic()
    code = line.output.wait_for(r"\(would text advocate riley demo \(([A-Z0-9]{4})\)\) Lantern: URGENT request").group(1)
    line.output.wait_for(rf"\({code}\)\) Lantern: still waiting \d+ min: URGENT request {code}",
                         timeout=ESCALATE_URGENT_MINUTES * 60 + 30)
    assert ESCALATE_URGENT_MINUTES * 60 - 5 <= time.monotonic() - texted <= ESCALATE_URGENT_MINUTES * 60 + 30


def test_the_cli_beside_it_works_on_the_same_line(line):
    added = line.flask("advocates", "add", "--name", "Sam Demo", "--phone", "+12135550197", "--available")
    assert added.returncode == 0, added.stderr
    assert "Sam Demo" in line.flask("advocates", "list").stdout
    line.text_the_hotline("+15555550152", "hes outside my door with a knife")
    line.output.wait_for(r"\(would text advocate sam demo \([A-Z0-9]{4}\)\) Lantern: ")


def test_simulate_beside_it_chats_on_the_same_line(line):
    line.text_the_hotline("+15555550153", "they took my passport")
    chat = line.flask("simulate", "--from", "+15555550154", stdin="hello\n\n")
    assert chat.returncode == 0, chat.stderr
    assert "Are you safe to talk?" in chat.stdout
    waiting = int(re.search(r"Handoff queue: (\d+) waiting", chat.stdout).group(1))
    assert waiting >= 1  # the request texted to the web role is in the queue simulate reads


def test_ctrl_c_stops_every_role_and_leaves_nothing(line):
    os.killpg(line.process.pid, signal.SIGINT)
    assert line.process.wait(timeout=20) in (0, -signal.SIGINT)  # make passes Ctrl-C on as its own exit
    assert not (line.copy / "instance" / "embedded-line.json").exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(line.base + "/healthz", timeout=2)
    alone = line.flask("advocates", "list")  # no line running: a private store of its own, empty
    assert "Nobody is on the roster yet" in alone.stdout
