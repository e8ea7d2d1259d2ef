"""Handoff benchmark: from a survivor's text in danger to every page's create at Twilio: 10 survivors at
once, 10 advocates on shift, a Twilio that takes 150 ms per message, the Procfile's worker line as written.

Run from the repo root with the venv's python: `.venv/bin/python bench/handoff.py` (about 15 s;
`--help` for the knobs). It prints the webhook's latency, each request's latency to its first and
to its last page, how fast the worker drained the pages, and the target (every page: p99 < 1.5 s).

Choices, and why:
- Its own redis-server on a free loopback port, a stand-in of Twilio's REST API (the tests', which
  also notes when each create arrived) and gunicorn and one RQ worker run exactly as the Procfile
  says (read from it), bound to 127.0.0.1. Nothing leaves this machine; all of it stops on exit.
- The config is the shipped one, staffed around the clock, so the run does not depend on the time
  of day: every text is danger (URGENT), paged to the 10 (invented) advocates on shift.
- The survivors (fictional 555-01xx numbers) first text "hi" (not timed). One more asks for a person
  and its pages are awaited, also not timed: a worker imports the app on its first job, once in its
  life, and the figure would be that import rather than paging. Its latency is printed apart as the
  cold start.
- Then all of them text "he hits me, I need help now" at once, one thread and one connection each. A
  request's latency runs from the moment its thread starts connecting (queueing for gunicorn's
  workers included: that is what the survivor waits for) to the create at the stand-in, whose
  clock is this process's. Pages are matched to requests by the case code they carry, read from
  the app's store afterwards.
- The target is on every page (10 per text): p99 from the text to the create at Twilio. First and
  last page per text are printed beside it. Waiting is bounded (--wait); missing ones are a MISS.
- CPU per page of the worker, gunicorn, redis-server and this process (the load and the
  stand-in) says where the time goes; the machine may be shared, so the CPU that other processes
  used meanwhile is printed too.
- --api-delay S: the stand-in takes S seconds per create (0.15 by default, as the real API's 100-300 ms
  round trip). A knob for finding out why, not for the target: --rq-workers N runs the worker role N times.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make the repo's packages importable
    sys.path.insert(0, str(REPO))

from bench.handoff_rig import (  # noqa: E402
    RQWorker, TimedStandIn, in_process_lantern, procfile_worker_command, signed_text, staffed_config,
)
from bench.load import NUMBERS, TIMEOUT, Driver, Target, exchange, texter  # noqa: E402
from bench.servers import (  # noqa: E402
    Gunicorn, cpu_seconds, machine_busy_seconds, procfile_web_command, server_env,
)
from bench.webhook import app_environment, exit_on_signals, read_log, revision, verdict  # noqa: E402
from tests.redis_server import RedisServer, free_port  # noqa: E402

ACCOUNT_SID, AUTH_TOKEN, HOTLINE = "AC" + "0" * 32, "bench-auth-token-not-real", "+15555550199"
ADVOCATES = tuple((f"Advocate {n} Bench", f"+1213555018{n}") for n in range(10))  # invented
REQUEST = "he hits me, I need help now"  # danger: URGENT, every advocate on shift is paged at once
TARGET_P99_S = 1.5


@dataclass
class Rig:
    target: Target
    redis: RedisServer
    standin: TimedStandIn
    lantern: object  # app.Lantern, built in this process
    web: Gunicorn
    workers: list[RQWorker]


@dataclass
class Request:
    number: str
    started: float  # time.monotonic() as its thread began to connect
    finished: float
    ok: bool  # HTTP 200 with TwiML


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--survivors", type=int, default=10, help="texts in danger sent at once")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: the Procfile's)")
    parser.add_argument("--rq-workers", type=int, default=1, help="RQ worker processes (the target is for 1)")
    parser.add_argument("--api-delay", type=float, default=0.15,
                        help="seconds the Twilio stand-in takes to answer a create (default: at once)")
    parser.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the pages")
    parser.add_argument("--logs", type=Path, help="keep the web and worker logs in this directory")
    args = parser.parse_args(argv)
    if not 0 < args.survivors < NUMBERS:  # the fictional numbers run out; the last is the warm-up's
        parser.error(f"--survivors: 1 to {NUMBERS - 1}")
    return args


def start_rig(stack: ExitStack, workdir: Path, args: argparse.Namespace) -> Rig:
    redis = RedisServer.start()
    stack.callback(redis.stop)
    standin = TimedStandIn(ACCOUNT_SID, AUTH_TOKEN, delay=args.api_delay).start()
    stack.callback(standin.stop)
    port = free_port()
    target = Target("127.0.0.1", port, f"http://127.0.0.1:{port}", AUTH_TOKEN, ACCOUNT_SID, HOTLINE)
    env = app_environment(redis.url, target) | {
        "TWILIO_API_BASE": standin.url, "LANTERN_CONFIG_DIR": str(staffed_config(workdir / "config"))}
    lantern = in_process_lantern(env)
    for name, phone in ADVOCATES:
        lantern.stores.roster.add(name, phone, available=True)
    web = Gunicorn.start(procfile_web_command("app:app", port, args.workers), server_env(env), port,
                         workdir / "web.log")
    stack.callback(web.stop)
    workers = []
    for n in range(args.rq_workers):
        workers.append(RQWorker.start(procfile_worker_command(redis.url), server_env(env), 0,
                                      workdir / f"worker-{n + 1}.log"))
        stack.callback(workers[-1].stop)
    web.wait_ready()
    workers[0].wait_ready(lantern.stores.redis, len(workers))
    return Rig(target, redis, standin, lantern, web, workers)


def greet(rig: Rig, numbers: list[str]) -> int:
    """Every survivor says "hi" first (16 at a time, not timed); returns the failures."""
    payloads = [signed_text(rig.target, number, "hi", n) for n, number in enumerate(numbers)]
    phase = Driver(rig.target, 16).run(payloads, time_limit=60.0)
    return phase.errors + len(payloads) - phase.requests


def wait_for_pages(standin: TimedStandIn, expected: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while standin.created() < expected and time.monotonic() < deadline:
        time.sleep(0.02)


def warm_up(rig: Rig, timeout: float) -> float:
    """One survivor outside the burst asks for a person; seconds until its first page (the cold
    start: the worker's first job imports the app). The stand-in is emptied afterwards."""
    number = texter(NUMBERS - 1)  # +12055550199: never one of the burst's
    exchange(rig.target.host, rig.target.port, signed_text(rig.target, number, "hi", 10**6))
    started = time.monotonic()
    exchange(rig.target.host, rig.target.port, signed_text(rig.target, number, REQUEST, 10**6 + 1))
    wait_for_pages(rig.standin, len(ADVOCATES), timeout)
    first = min((at for at, _, _ in rig.standin.pages()), default=math.inf)
    rig.standin.reset()
    return first - started


def burst(rig: Rig, numbers: list[str]) -> list[Request]:
    """All at once: one thread each, released together, each on its own connection."""
    payloads = {number: signed_text(rig.target, number, REQUEST, 10**5 + n) for n, number in enumerate(numbers)}
    gate, done, lock = threading.Barrier(len(payloads)), [], threading.Lock()

    def send(number: str, payload: bytes) -> None:
        gate.wait(timeout=30)
        started = time.monotonic()
        try:
            status, body = exchange(rig.target.host, rig.target.port, payload)
            ok = status == 200 and b"<Response" in body
        except OSError:
            ok = False
        with lock:
            done.append(Request(number, started, time.monotonic(), ok))

    threads = [threading.Thread(target=send, args=item, daemon=True) for item in payloads.items()]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + TIMEOUT + 30  # bounded: daemon threads left behind die with the process
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return done


@dataclass
class Result:
    requests: list[Request]
    first: list[float]  # seconds from each request to its first page; inf when none came
    last: list[float]  # ... to its last page; inf when not all came
    every: list[float]  # every page: seconds from its request; inf for each page that never came
    arrivals: list[float]  # every page's arrival time, in order
    cpu: dict[str, float]  # CPU seconds from the burst until the pages were in, by part
    seconds: float  # how long that was
    cold_start: float


def measure(rig: Rig, survivors: int, wait: float) -> Result:
    numbers = [texter(n) for n in range(survivors)]
    if failed := greet(rig, numbers):
        raise RuntimeError(f"{failed} of the {survivors} greetings failed:\n{rig.web.log_tail()}")
    cold_start = warm_up(rig, wait)
    before, started = cpu_now(rig), time.monotonic()
    requests = burst(rig, numbers)
    wait_for_pages(rig.standin, len(ADVOCATES) * survivors, wait)
    cpu = {name: seconds - before[name] for name, seconds in cpu_now(rig).items()}
    first, last, every, arrivals = match_pages(rig, requests)
    return Result(requests, first, last, every, arrivals, cpu, time.monotonic() - started, cold_start)


def cpu_now(rig: Rig) -> dict[str, float]:
    """CPU seconds so far of each part, and of the rest of the machine: it may be shared, and
    figures taken beside a busy neighbour are slow for reasons of no concern to Lantern."""
    workers = [pid for worker in rig.workers for pid in worker.pids()]
    cpu = {"worker": cpu_seconds(workers), "gunicorn": cpu_seconds(rig.web.pids()),
           "redis": cpu_seconds([rig.redis.process.pid]),
           "bench": time.process_time()}  # this process: the load's threads and the stand-in
    cpu["other processes"] = machine_busy_seconds() - sum(cpu.values())
    return cpu


def match_pages(rig: Rig, requests: list[Request]) -> tuple[list[float], list[float], list[float], list[float]]:
    """Each request's latency to its first and last page, found by the case code the app gave its
    conversation; and every page's arrival."""
    store = rig.lantern.stores.store
    by_code: dict[str, list[float]] = {}
    for at, code, _to in rig.standin.pages():
        by_code.setdefault(code, []).append(at)
    first, last, every = [], [], []
    for request in requests:
        conv = store.get(store.conversation_key(request.number))
        times = by_code.get(conv.case_code if conv else None, [])
        first.append(min(times) - request.started if times else math.inf)
        last.append(max(times) - request.started if len(times) >= len(ADVOCATES) else math.inf)
        every += [at - request.started for at in times] + [math.inf] * (len(ADVOCATES) - len(times))
    return first, last, every, sorted(at for times in by_code.values() for at in times)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (as bench/load.py's)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else math.nan


def spread(values: list[float]) -> str:
    return "  ".join(f"{label} {percentile(values, q) * 1000:6.0f} ms"
                     for label, q in (("p50", 0.5), ("p99", 0.99), ("max", 1.0)))


def print_setup(rig: Rig, args: argparse.Namespace) -> None:
    print(f"{revision()} | {os.cpu_count()} CPUs")
    for label, server in (("web:   ", rig.web), (f"worker: {len(rig.workers)} x", rig.workers[0])):
        print(label, " ".join([Path(server.process.args[0]).name, *server.process.args[1:]]))
    print(f"{args.survivors} survivors text danger at once; {len(ADVOCATES)} advocates available; "
          f"Twilio stand-in answers in {args.api_delay * 1000:.0f} ms")


def print_figures(result: Result, expected: int) -> None:
    requests, pages = result.requests, len(result.arrivals)
    print(f"requests        {len(requests)} sent, {sum(not r.ok for r in requests)} errors")
    print(f"pages received  {pages} of {expected}")
    print(f"webhook         {spread([r.finished - r.started for r in requests])}")
    print(f"first page      {spread(result.first)}")
    print(f"last page       {spread(result.last)}")
    drain = result.arrivals[-1] - result.arrivals[0] if pages > 1 else math.nan
    print(f"worker drained  {(pages - 1) / drain:.1f} pages/s ({pages} pages in {drain:.2f} s); "
          f"cold start (first job, not in the figures) {result.cold_start * 1000:.0f} ms")
    print("CPU ms per page " + ", ".join(f"{name} {seconds / max(pages, 1) * 1000:.1f}"
                                         for name, seconds in result.cpu.items() if name != "other processes")
          + f"; other processes kept {result.cpu['other processes'] / result.seconds:.2f} CPUs busy")


def print_logs(rig: Rig) -> None:
    """Counts of WARNING/ERROR lines (Lantern logs no numbers or text), with a few distinct ones."""
    for server in [rig.web, *rig.workers]:
        levels, samples = read_log(server.log_path)
        if levels:
            counts = ", ".join(f"{n} {level}" for level, n in levels.items())
            print(f"{server.log_path.name}: {counts}; e.g. " + " | ".join(samples))


def print_target(result: Result, expected: int) -> None:
    p99 = percentile(result.every, 0.99)
    ok = p99 < TARGET_P99_S and len(result.arrivals) == expected and all(r.ok for r in result.requests)
    print(f"text to page    p50 {percentile(result.every, 0.5):.2f} s  p99 {p99:.2f} s  max {max(result.every):.2f} s"
          f"   target p99 < {TARGET_P99_S:g} s, every page, no errors   {verdict(ok)}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    exit_on_signals()
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lantern-handoff-")))
        if args.logs:
            args.logs.mkdir(parents=True, exist_ok=True)
        rig = start_rig(stack, args.logs or workdir, args)
        result = measure(rig, args.survivors, args.wait)
        expected = len(ADVOCATES) * args.survivors
        print_setup(rig, args)
        print_figures(result, expected)
        print_logs(rig)
        print_target(result, expected)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted; every process the benchmark started has been stopped", file=sys.stderr)
        sys.exit(130)
