"""What the handoff benchmark runs against: a timed Twilio stand-in, an always-staffed config, the
Procfile's RQ worker, the app's own objects in this process, and survivors' signed texts.

Nothing here changes the app or the tests' helpers; they are imported and wrapped.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import yaml
from redis import Redis
from rq import Worker

from bench.load import PATH, Target, twilio_form
from bench.servers import REPO, VARIABLE, Gunicorn, expand_variable, server_env
from config.hours import DAYS
from tests.twilio_signing import twilio_signature
from tests.twilio_standin import TwilioStandIn

CONFIG_DIR = REPO / "config"
PAGE_CODE = re.compile(r"request (\S+) \(")  # "Lantern: NORMAL request K7Q2 (en, area not given)..."


@dataclass
class TimedStandIn(TwilioStandIn):
    """The tests' stand-in of Twilio's REST API, plus when each create arrived.

    time.monotonic() of this process: the load's send times are taken on the same clock, so a page's
    latency is one subtraction, with no clock offset between processes to correct for.
    """

    delay: float = 0.0  # seconds each answer takes: Twilio is a network round trip away, not on loopback

    def __post_init__(self):
        super().__post_init__()
        self.arrived: dict[str, float] = {}  # message SID -> arrival time

    def answer(self, method: str, path: str, authorization: str, form: dict[str, str]) -> tuple[int, dict]:
        arrived = time.monotonic()  # before the stand-in's own work: that is Twilio's, not ours
        status, payload = super().answer(method, path, authorization, form)
        if status == 201:
            self.arrived[payload["sid"]] = arrived
        time.sleep(self.delay)  # on this handler's own thread: answers overlap, as Twilio's would
        return status, payload

    def reset(self) -> None:
        super().reset()
        self.arrived.clear()

    def created(self) -> int:
        """Creates recorded so far (counted by arrival time, which is set last)."""
        return len(self.arrived)

    def pages(self) -> list[tuple[float, str, str]]:
        """(arrival time, case code, recipient) of every page recorded so far."""
        with self._lock:
            sent = list(self.sent)
        pages = []
        for message in sent:
            match = PAGE_CODE.search(message.body)
            if match and message.sid in self.arrived:
                pages.append((self.arrived[message.sid], match.group(1), message.to))
        return pages


def staffed_config(target: Path) -> Path:
    """config/ as shipped, but staffed around the clock with no holidays, so that a request is a
    daytime NORMAL one, paged to the advocates on shift, whatever the time of day of the run.
    (tests.conftest's writer also zeroes the retry back-off; here the shipped back-off stays.)"""
    target.mkdir(parents=True, exist_ok=True)
    for source in CONFIG_DIR.glob("*.yaml"):
        shutil.copyfile(source, target / source.name)
    hours_file = target / "hours.yaml"
    hours = yaml.safe_load(hours_file.read_text(encoding="utf-8"))
    hours["staffed"] = {day: ["00:00-24:00"] for day in DAYS}
    hours["holidays"] = []
    hours_file.write_text(yaml.safe_dump(hours, allow_unicode=True), encoding="utf-8")
    return target


def procfile_worker_command(redis_url: str) -> list[str]:
    """The Procfile's `worker:` command, $REDIS_URL filled in, with the venv's rq."""
    line = next(x for x in (REPO / "Procfile").read_text().splitlines() if x.startswith("worker:"))
    args = shlex.split(VARIABLE.sub(lambda m: expand_variable(m, {"REDIS_URL": redis_url}), line[len("worker:"):]))
    if args[:2] not in (["rq", "worker"], ["rq", "worker-pool"]):
        raise RuntimeError(f"Procfile's worker role is no longer `rq worker ...`: {line!r}")
    args[0] = shutil.which("rq", path=str(Path(sys.executable).parent)) or "rq"
    return args


class RQWorker(Gunicorn):
    """The worker role, started and stopped as gunicorn is (own session; SIGTERM, RQ's warm
    shutdown, then a group kill for it and its scheduler process). Only readiness differs."""

    def wait_ready(self, redis: Redis, workers: int = 1, timeout: float = 30.0) -> None:  # type: ignore[override]
        """Until `workers` workers have registered themselves in Redis, i.e. listen on their queue."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"rq worker exited ({self.process.returncode}):\n{self.log_tail()}")
            if Worker.count(connection=redis) >= workers:
                return
            time.sleep(0.1)
        raise RuntimeError(f"rq workers did not register within {timeout:.0f} s:\n{self.log_tail()}")


def in_process_lantern(env: dict[str, str]):
    """The app's own objects on the benchmark's Redis: to put advocates on the roster and, after the
    run, to read each survivor's case code.

    Built from os.environ (as in gunicorn and the worker), so this process takes the servers' environment
    first: any other way it would build an embedded one and say so on stderr."""
    os.environ.clear()
    os.environ.update(server_env(env))
    from config.settings import load_settings
    from wiring import build_lantern

    return build_lantern(load_settings())


def signed_text(target: Target, number: str, body: str, sid: int) -> bytes:
    """A webhook POST as Twilio sends it: its real form fields, signed, on its own connection."""
    params = twilio_form(target, 0) | {"From": number, "Body": body}
    params |= dict.fromkeys(("MessageSid", "SmsSid", "SmsMessageSid"), f"SM{sid:032x}")
    form = urlencode(params).encode()
    signature = twilio_signature(target.auth_token, target.public_base_url + PATH, params)
    head = (f"POST {PATH} HTTP/1.1\r\nHost: {target.host}:{target.port}\r\nUser-Agent: TwilioProxy/1.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(form)}\r\nX-Twilio-Signature: {signature}\r\nConnection: close\r\n\r\n")
    return head.encode("latin-1") + form
