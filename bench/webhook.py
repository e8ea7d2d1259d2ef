"""Webhook benchmark: Lantern under gunicorn beside a bare Flask + Redis endpoint, the same load.

Run from the repo root with the venv's python: `.venv/bin/python bench/webhook.py` (three or four
minutes; `--help` for the knobs). It prints requests/s, p50/p99
latency and errors for each app, the ratio Lantern/baseline, µs per engine step, and the targets.

Choices, and why:
- Its own redis-server (tests/redis_server.py) on a free loopback port, flushed before each app:
  never a shared Redis. Only 127.0.0.1 is used, for Redis, the servers and the load.
- Both apps run the Procfile's `web:` command (read from the Procfile, so the two stay in line),
  bound to 127.0.0.1 and with the Procfile's own default workers (3: on 2 cores, one process more
  than the cores keeps both busy while one waits on Redis; --workers sets another count for every app). Lantern is `app:app`, the baseline `bench.baseline:app`.
  Lantern gets what LANTERN_ENV=production requires, with secrets made up for the run.
- The apps run one after the other, never together, on the same port: PUBLIC_BASE_URL (which the
  signature covers) is then the same, and both get byte-identical signed requests. They take turns in
  --rounds rounds (3): a VM whose speed drifts over minutes (seen here: the bare baseline between 2061
  and 3200 req/s in runs minutes apart) then weighs on each app alike; the ratio is the rounds' median.
- Beside them, 9d8e68b (issue 18's "today") from a throwaway git worktree, under its own Procfile and
  without hiredis, which its requirements never installed: the speed-up is Lantern's against it.
- Load: 16 connections, 500 texters (+1 201…205 555 0100…0199) each looping load.SCRIPT ("hi",
  "1", "1", "Long Beach", …), unique MessageSids, Twilio's real form fields. Each request opens its own
  connection, as gunicorn's sync workers close every one. The driver (load.py) is one thread on
  epoll: it shares the 2 cores with what it measures, so it must cost little, and its CPU per
  request is printed so its share can be judged.
- 2000 warm-up requests (workers booting, imports, connection pools), then 12000 measured, the
  same ones for both apps, signed and encoded beforehand. A time limit per phase (45 s, a quarter
  of it for warm-up) bounds the whole run however slow a build is; it is reported when it bites.
- Latency runs from connect to the last byte, queueing included: with 16 connections on 3 workers
  a request mostly waits for a worker, so p99 tracks throughput as much as the request's own cost.
- Only the web role runs: the RQ jobs Lantern enqueues (pages, escalations) wait in the private
  Redis and are thrown away with it.
- Lantern's per-request INFO log is part of the product and stays on; gunicorn's stderr goes to a
  file, not a terminal. Lantern answers HTTP 200 with the static safety message when anything
  breaks, so its log's ERROR lines are reported beside the HTTP errors.
- CPU per request of the gunicorn processes, redis-server and the driver (from /proc) says where
  the time goes without a profiler. The machine may be shared, so the CPU that other processes
  used during each measured phase is printed too: figures taken beside a busy neighbour are low.
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make the repo's packages importable
    sys.path.insert(0, str(REPO))

from redis import Redis  # noqa: E402

from bench import engine_step, round_trips  # noqa: E402
from bench.load import Driver, Phase, Target  # noqa: E402
from bench.servers import (  # noqa: E402
    Gunicorn, cpu_seconds, machine_busy_seconds, procfile_web_command, server_env,
)
from config.settings import new_data_key  # noqa: E402
from tests.redis_server import RedisServer, free_port  # noqa: E402

APPS = (("baseline", "bench.baseline:app"), ("Lantern", "app:app"))
# The main of issue 18 ("today's"): Lantern's req/s must be 1.8 times its own, measured beside it.
BEFORE = "9d8e68b"
TARGET_SPEEDUP = 1.8
TARGET_RATIO, TARGET_P99_MS, TARGET_STEP_US, TARGET_WITH_UNDERSTANDING_US = 0.65, 30.0, 100.0, 300.0
_LEVEL = re.compile(r"\b(ERROR|CRITICAL|WARNING)\b")


@dataclass
class AppRun:
    label: str
    command: list[str]
    phase: Phase
    server_cpu: float  # CPU seconds of gunicorn master and workers during the measured phase
    redis_cpu: float
    others_cpu: float  # CPU seconds of everything else on the machine (steal included) meanwhile
    log_levels: Counter
    log_samples: list[str]

    def us_per_request(self, cpu: float) -> float:
        return cpu / self.phase.requests * 1e6 if self.phase.requests else float("nan")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: the Procfile's)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=2000, help="warm-up requests per app")
    parser.add_argument("--requests", type=int, default=12000, help="measured requests per app")
    parser.add_argument("--rounds", type=int, default=3,
                        help="run the apps in turn this many times, each with its share of the requests: a "
                             "machine whose speed drifts then weighs on every app alike (the ratio is the median)")
    parser.add_argument("--time-limit", type=float, default=45.0,
                        help="seconds a measured phase may last (warm-up: a quarter of it)")
    parser.add_argument("--logs", type=Path, help="keep gunicorn's logs in this directory")
    parser.add_argument("--timezone", help="the line's LANTERN_TIMEZONE for every app: one where it is office hours "
                                           "now measures the daytime flow (requests find nobody free, supervisors "
                                           "are paged), the default zone at night the after-hours one")
    parser.add_argument("--against", default=BEFORE,
                        help="also run this git revision's app under its own Procfile (default %(default)s; '' skips it)")
    return parser.parse_args(argv)


def app_environment(redis_url: str, target: Target) -> dict[str, str]:
    """What production requires (config/settings.py), with made-up secrets for this run only."""
    return {
        "LANTERN_ENV": "production", "REDIS_URL": redis_url, "TWILIO_AUTH_TOKEN": target.auth_token,
        "TWILIO_ACCOUNT_SID": target.account_sid, "TWILIO_NUMBER": target.hotline,
        "PUBLIC_BASE_URL": target.public_base_url, "SECRET_KEY": secrets.token_urlsafe(32),
        "LANTERN_DATA_KEYS": new_data_key(), "LANTERN_LOOKUP_KEY": secrets.token_urlsafe(32),
        # Outbound messages are RQ jobs no worker runs here; should any be sent inline, it goes to a
        # closed loopback port (and shows up as errors), never to Twilio.
        "TWILIO_API_BASE": "http://127.0.0.1:9",
    }


def bench_app(label: str, app_target: str, args: argparse.Namespace, redis: RedisServer, port: int,
              logs: Path, tree: Path = REPO, extra_env: dict[str, str] | None = None) -> AppRun:
    Redis.from_url(redis.url).flushall()
    target = Target("127.0.0.1", port, f"http://127.0.0.1:{port}", "bench-auth-token-not-real",
                    "AC" + "0" * 32, "+15555550199")
    command = procfile_web_command(app_target, port, args.workers, tree)
    hours = {"LANTERN_TIMEZONE": args.timezone} if args.timezone else {}
    server = Gunicorn.start(command, server_env(app_environment(redis.url, target) | hours | (extra_env or {})), port,
                            logs / f"{label}.log", tree)
    try:
        server.wait_ready()
        driver = Driver(target, args.connections)
        driver.run(driver.prepare(args.warmup), args.time_limit / 4)
        measured = driver.prepare(args.requests)
        pids = [server.pids(), [redis.process.pid]]
        before = [cpu_seconds(p) for p in pids] + [machine_busy_seconds()]
        phase = driver.run(measured, args.time_limit)
        server_cpu, redis_cpu, busy = (b - a for a, b in zip(before, [cpu_seconds(p) for p in pids]
                                                                + [machine_busy_seconds()]))
    finally:
        server.stop()
    others = busy - server_cpu - redis_cpu - phase.driver_cpu
    return AppRun(label, command, phase, server_cpu, redis_cpu, others, *read_log(server.log_path))


def checkout(revision: str, stack: ExitStack) -> Path | None:
    """A throwaway worktree of `revision`, removed at the end; None (said) when git can't make one."""
    folder = Path(tempfile.mkdtemp(prefix="lantern-bench-before-"))
    made = subprocess.run(["git", "worktree", "add", "--detach", str(folder), revision], cwd=REPO,
                          capture_output=True, text=True)
    if made.returncode != 0:
        print(f"(not measured beside {revision}: {made.stderr.strip()[:200]})")
        return None
    stack.callback(lambda: subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=REPO,
                                          capture_output=True))
    return folder


def as_shipped(tree: Path, stack: ExitStack) -> dict[str, str]:
    """The environment that runs `tree` with what its requirements.txt installs: a revision that did not
    ask for hiredis runs without it, though this venv has it (redis-py would use it by itself)."""
    if "hiredis" in (tree / "requirements.txt").read_text():
        return {}
    shim = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lantern-bench-no-hiredis-")))
    (shim / "hiredis.py").write_text('raise ImportError("not in this revision\'s requirements.txt")\n')
    return {"PYTHONPATH": str(shim)}


def read_log(path: Path) -> tuple[Counter, list[str]]:
    """Counts of WARNING/ERROR lines and a few distinct ones (Lantern logs no numbers or text)."""
    levels, samples = Counter(), []
    for line in path.read_text(errors="replace").splitlines():
        match = _LEVEL.search(line)
        if match:
            levels[match.group(1)] += 1
            text = line[match.start():]
            if text not in samples and len(samples) < 3:
                samples.append(text)
    return levels, samples


def revision() -> str:
    """The commit measured, marked when the working tree had uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown revision"
    return head + (" + uncommitted changes" if dirty else "")


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISS"


def print_apps(runs: list[AppRun], args) -> None:
    command = " ".join([Path(runs[0].command[0]).name, "APP", *runs[0].command[2:]])
    print(f"{revision()} | {os.cpu_count()} CPUs | {command}")
    print(f"{args.connections} connections, {args.requests} measured requests per app in {args.rounds} rounds "
          f"({args.warmup} warm-up at each start), one app at a time"
          + (f", LANTERN_TIMEZONE={args.timezone}" if args.timezone else ""))
    print(f"{'':10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'requests':>9}"
          f"   CPU µs/req: {'gunicorn':>8} {'redis':>6} {'driver':>6}   other processes")
    for run in runs:
        p = run.phase
        print(f"{run.label:10} {p.rps:8.1f} {p.percentile_ms(0.50):8.1f} {p.percentile_ms(0.99):8.1f} "
              f"{p.errors:7d} {p.requests:9d}   {'':12}{run.us_per_request(run.server_cpu):8.0f} "
              f"{run.us_per_request(run.redis_cpu):6.0f} {run.us_per_request(p.driver_cpu):6.0f}   "
              f"{run.others_cpu / p.seconds:.2f} CPUs busy")
    for run in runs:
        if run.phase.requests < run.phase.planned:
            print(f"{run.label}: time limit reached after {run.phase.requests} of {run.phase.planned} requests")
        if run.log_levels:
            counts = ", ".join(f"{n} {level}" for level, n in run.log_levels.items())
            print(f"{run.label} log: {counts}; e.g. " + " | ".join(run.log_samples))


def merged(runs: list[AppRun]) -> AppRun:
    """One app's rounds as one run: every request, every second, every CPU second."""
    first = runs[0]
    phase = Phase([x for r in runs for x in r.phase.latencies], sum(r.phase.errors for r in runs),
                  sum(r.phase.seconds for r in runs), sum(r.phase.driver_cpu for r in runs),
                  sum(r.phase.planned for r in runs))
    levels = sum((r.log_levels for r in runs), Counter())
    return AppRun(first.label, first.command, phase, sum(r.server_cpu for r in runs), sum(r.redis_cpu for r in runs),
                  sum(r.others_cpu for r in runs), levels, first.log_samples)


def print_targets(ratio: float, lantern: Phase, engine: engine_step.EngineResult) -> None:
    p99 = lantern.percentile_ms(0.99)
    print(f"ratio Lantern/baseline req/s  {ratio:6.2f}     target >= {TARGET_RATIO}    "
          f"{verdict(ratio >= TARGET_RATIO)}")
    print(f"Lantern p99                   {p99:6.1f} ms  target < {TARGET_P99_MS:g} ms   "
          f"{verdict(p99 < TARGET_P99_MS)}")
    print(f"engine step                   {engine.us_per_step:6.1f} µs  target <= {TARGET_STEP_US:g} µs  "
          f"{verdict(engine.us_per_step <= TARGET_STEP_US)}  ({engine.steps} steps over {engine.cases} cases)")
    print(f"engine step, caches flushed   {engine.cold_without_understanding_us:6.1f} µs  target <= {TARGET_STEP_US:g} µs  "
          f"{verdict(engine.cold_without_understanding_us <= TARGET_STEP_US)}  (as inside a request; understanding apart)")
    print(f"  with understanding            {engine.cold_us_per_step:6.1f} µs  target <= {TARGET_WITH_UNDERSTANDING_US:g} µs  "
          f"{verdict(engine.cold_us_per_step <= TARGET_WITH_UNDERSTANDING_US)}  "
          f"(understanding alone {engine.cold_understanding_us:.1f} µs)")
    print("  µs per step by state: " + ", ".join(f"{s} {us:.0f}" for s, us in engine.us_by_state.items()))


def exit_on_signals() -> None:
    """SIGTERM/SIGHUP unwind like Ctrl-C does, so every `finally` stops what it started."""
    def leave(signum, _frame):
        raise SystemExit(128 + signum)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, leave)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    exit_on_signals()
    with ExitStack() as stack:
        logs = args.logs or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lantern-bench-")))
        logs.mkdir(parents=True, exist_ok=True)
        redis = RedisServer.start()
        stack.callback(redis.stop)
        port = free_port()
        before = checkout(args.against, stack) if args.against else None
        apps = [(label, target, REPO, None) for label, target in APPS]
        if before is not None:
            apps.append((args.against, "app:app", before, as_shipped(before, stack)))
        share = argparse.Namespace(**{**vars(args), "requests": max(1, args.requests // args.rounds)})
        rounds = [[bench_app(label, target, share, redis, port, logs, tree, env) for label, target, tree, env in apps]
                  for _ in range(args.rounds)]
        costs = round_trips.measure(redis.url)
    engine = engine_step.measure()  # after the servers are gone, so nothing competes for the CPU
    runs = [merged([one[i] for one in rounds]) for i in range(len(apps))]
    print_apps(runs, args)
    ratios = sorted(one[1].phase.rps / one[0].phase.rps for one in rounds if one[0].phase.rps)
    print("ratio in each round: " + ", ".join(f"{r:.2f}" for r in ratios) + "  (the median is the figure)")
    print_targets(ratios[len(ratios) // 2] if ratios else float("nan"), runs[1].phase, engine)
    if len(runs) > 2:
        speedups = sorted(one[1].phase.rps / one[2].phase.rps for one in rounds if one[2].phase.rps)
        speedup = speedups[len(speedups) // 2] if speedups else float("nan")
        print(f"Lantern / {args.against} req/s     {speedup:6.2f}     target >= {TARGET_SPEEDUP}     "
              f"{verdict(speedup >= TARGET_SPEEDUP)}  (median of rounds; {args.against} under its own Procfile)")
    round_trips.print_costs(costs)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted; every process the benchmark started has been stopped", file=sys.stderr)
        sys.exit(130)
