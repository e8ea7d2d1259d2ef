"""A whole line on loopback, as a replicated deployment runs it: a Redis primary with replicas and three
sentinels, web processes and RQ workers started from the Procfile's lines (REDIS_SENTINELS, a shared
spool directory), Twilio's REST stand-in, and survivors' signed texts spread over the web processes.

tests/test_failover.py asserts on a short run; bench/failover.py prints the figures of a longer one.
Nothing here changes the app: it is started as a platform starts it.
"""
from __future__ import annotations

import itertools
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bench.handoff_rig import PAGE_CODE, RQWorker, procfile_worker_command, signed_text
from bench.load import Target, exchange
from bench.servers import Gunicorn, procfile_web_command, server_env
from config.settings import load_settings, new_data_key
from tests.redis_server import free_port
from tests.sentinel_servers import SentinelTopology
from tests.twilio_standin import TwilioStandIn

ACCOUNT_SID, AUTH_TOKEN, HOTLINE = "AC" + "0" * 32, "failover-auth-token-not-real", "+15555550199"
ADVOCATES = {"Alexis Rivera": "+12135550101", "Sam Okafor": "+12135550102", "Riley Chen": "+12135550103"}
CLAIMER = "+12135550101"
DANGER = ["hi", "he has a gun and he is outside the door", "are you there"]
SCRIPTS = {  # what a conversation says, by kind; "claim": an advocate claims it after its page
    "danger": DANGER,
    "claim": ["hello", "he hits me", "CLAIMED", "thank you"],
    "stop": ["hello", "can I talk to someone", "STOP"],
    "talk": ["hi", "can I talk to someone", "ok"],
    "quiet": ["hey", "no", "ok thanks"],
}
PROBE = "probe"  # one "hi" from a new number, sent until the line answers for real again
SCRIPTS_WITH_PROBE = {**SCRIPTS, PROBE: ["hi"]}


@dataclass
class Answer:
    number: str
    text: str
    status: int
    seconds: float
    at: float  # when the answer came (time.monotonic())
    real: bool  # a reply of the bot's, not the static safety message


@dataclass
class Line:
    scratch: Path
    topology: SentinelTopology
    standin: TwilioStandIn
    env: dict[str, str]
    webs: list[Gunicorn] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    workers: list[RQWorker] = field(default_factory=list)
    lantern: object = None  # the app's own objects in this process, on the same Redis: to read the outcome

    @property
    def spool_dir(self) -> Path:
        return Path(self.env["LANTERN_SPOOL_DIR"])

    def stop(self) -> None:
        for process in [*self.webs, *self.workers]:
            process.stop()
        self.standin.stop()
        self.topology.stop()


def line_environment(topology: SentinelTopology, standin_url: str, public_port: int, scratch: Path,
                     config_dir: Path) -> dict[str, str]:
    """What production requires, on Sentinel, with secrets made up for this run only."""
    return {
        "LANTERN_ENV": "production", **topology.environment(), "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_NUMBER": HOTLINE, "TWILIO_API_BASE": standin_url,
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{public_port}", "SECRET_KEY": secrets.token_urlsafe(32),
        "LANTERN_DATA_KEYS": new_data_key(), "LANTERN_LOOKUP_KEY": secrets.token_urlsafe(32),
        "LANTERN_CONFIG_DIR": str(config_dir), "LANTERN_SPOOL_DIR": str(scratch / "spool"),
        "WEB_CONCURRENCY": "1", "WEB_THREADS": "32",
    }


def start_line(scratch: Path, config_dir: Path, webs: int = 2, workers: int = 2) -> Line:
    """Everything started and ready; on failure, what started is stopped again."""
    topology = SentinelTopology.start()
    standin = TwilioStandIn(ACCOUNT_SID, AUTH_TOKEN).start()
    ports = [free_port() for _ in range(webs)]
    env = line_environment(topology, standin.url, ports[0], scratch, config_dir)
    line = Line(scratch, topology, standin, env)
    try:
        for number, port in enumerate(ports):
            line.webs.append(Gunicorn.start(procfile_web_command("app:app", port), server_env(env | {"PORT": str(port)}),
                                            port, scratch / f"web{number}.log"))
            line.targets.append(Target("127.0.0.1", port, env["PUBLIC_BASE_URL"], AUTH_TOKEN, ACCOUNT_SID, HOTLINE))
        for number in range(workers):
            line.workers.append(RQWorker.start(procfile_worker_command(""), server_env(env), 0,
                                               scratch / f"worker{number}.log"))
        line.lantern = reader(env, scratch)
        for web in line.webs:
            web.wait_ready()
        line.workers[0].wait_ready(line.lantern.stores.redis, workers=workers)
        for name, phone in ADVOCATES.items():
            line.lantern.stores.roster.add(name, phone, available=phone != "+12135550103", on_call=phone == "+12135550103")
    except Exception:
        line.stop()
        raise
    return line


def reader(env: dict[str, str], scratch: Path):
    """The app's objects in this process (a spool directory of its own: it replays nothing of the web's)."""
    from wiring import build_lantern

    settings = load_settings(env | {"LANTERN_SPOOL_DIR": str(scratch / "reader-spool")}, dotenv=False)
    return build_lantern(settings)


class Drive:
    """Conversations texted in parallel, round robin over the web processes; the primary killed when
    `kill_after` webhooks have been answered."""

    def __init__(self, line: Line, conversations: int, kill_after: int | None, parallel: int = 10,
                 pause: float = 0.05):
        self.line, self.parallel, self.pause, self.kill_after = line, parallel, pause, kill_after
        kinds = list(SCRIPTS)  # probes are added by probe_until_real()
        self.numbers = {f"+1555501{n:04d}": kinds[n % len(kinds)] for n in range(conversations)}
        self.answers: list[Answer] = []
        self.killed_at: float | None = None
        self._lock, self._sids, self._next = threading.Lock(), itertools.count(1), itertools.count()

    def run(self) -> "Drive":
        with ThreadPoolExecutor(self.parallel) as pool:
            list(pool.map(self.converse, self.numbers))
        return self

    def probe_until_real(self, timeout: float = 30.0, every: float = 0.1) -> bool:
        """A new number texts "hi" again and again until a reply is the bot's own (the line is back)."""
        deadline = time.monotonic() + timeout
        for n in itertools.count():
            number = f"+1555502{n:04d}"
            self.numbers[number] = PROBE
            if self.text(number, "hi").real:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(every)
        return False

    def converse(self, number: str) -> None:
        for text in SCRIPTS[self.numbers[number]]:
            if text == "CLAIMED":
                self.claim(number)
                continue
            self.text(number, text)
            time.sleep(self.pause)

    def text(self, sender: str, body: str) -> Answer:
        with self._lock:
            sid, target = next(self._sids), self.line.targets[next(self._next) % len(self.line.targets)]
        started = time.monotonic()
        try:
            status, reply = exchange(target.host, target.port, signed_text(target, sender, body, sid), timeout=10)
        except OSError:
            status, reply = 0, b""
        answer = Answer(sender, body, status, time.monotonic() - started, time.monotonic(),
                        status == 200 and b"<Message>" in reply and b"Si est" not in reply)
        with self._lock:
            self.answers.append(answer)
            if self.kill_after is not None and len(self.answers) == self.kill_after:
                self.killed_at = time.monotonic()
                self.line.topology.kill_primary()
        return answer

    def claim(self, number: str, timeout: float = 30.0) -> None:
        """The claiming advocate texts CLAIM <code> once the page for this conversation has reached them."""
        code = case_code(self.line, number, timeout)
        deadline = time.monotonic() + timeout
        while code and time.monotonic() < deadline:
            if any(code in body for body in self.line.standin.to(CLAIMER)):
                self.text(CLAIMER, f"CLAIM {code}")
                return
            time.sleep(0.2)

    def survivors(self, kind: str) -> list[str]:
        return [number for number, k in self.numbers.items() if k == kind]

    def said(self, number: str) -> list[str]:
        return [t for t in SCRIPTS_WITH_PROBE[self.numbers[number]] if t != "CLAIMED"]

    def failover_gap(self) -> float | None:
        """Seconds from the kill to the first real reply to a text sent after it."""
        after = [a.at for a in self.answers if self.killed_at and a.at - a.seconds > self.killed_at and a.real]
        return min(after) - self.killed_at if after else None


def case_code(line: Line, number: str, timeout: float) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conv = line.lantern.stores.store.get(line.lantern.stores.store.conversation_key(number))
            if conv is not None and conv.case_code:
                return conv.case_code
        except Exception:  # the primary failing over: ask again
            pass
        time.sleep(0.2)
    return None


def settle(line: Line, timeout: float = 30.0) -> bool:
    """Until the spool is replayed and every queued job has run; False if that took longer than `timeout`."""
    from rq import Queue
    from rq.registry import StartedJobRegistry

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            spooled = line.spool_dir.is_dir() and any(line.spool_dir.iterdir())
            redis = line.lantern.stores.redis
            busy = any(len(Queue(name, connection=redis)) or len(StartedJobRegistry(name, connection=redis))
                       for name in ("lantern-urgent", "lantern"))
            if not spooled and not busy:
                return True
        except Exception:
            pass
        time.sleep(0.3)
    return False


def pages(line: Line, urgent: bool = True) -> dict[str, dict[str, int]]:
    """case code -> advocate's number -> how many pages for it they got."""
    counts: dict[str, dict[str, int]] = {}
    for message in list(line.standin.sent):
        match = PAGE_CODE.search(message.body or "")
        if match and ("URGENT" in message.body) == urgent and "request" in message.body:
            per = counts.setdefault(match.group(1), {})
            per[message.to] = per.get(message.to, 0) + 1
    return counts
