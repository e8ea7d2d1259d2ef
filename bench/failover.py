"""Failover benchmark: conversations per second with 1, 2 and 4 web processes on one replicated line, and
the failover gap (seconds from SIGKILL of the primary to the first real reply) under the issue's full
scenario: 50 conversations, texts in danger, STOP and an advocate claiming among them.

Run from the repo root, niced, with the venv's python: `nice -n 19 .venv/bin/python bench/failover.py`
(about a minute; `--help` for the knobs).

What it runs (bench/failover_rig.py, the same rig as tests/test_failover.py): a Redis primary, two
replicas and three sentinels (`redis-server --sentinel`), the Procfile's web line (WEB_CONCURRENCY=1 each,
so "web processes" is gunicorn masters with one worker each) and two of its worker lines, all on Sentinel
(REDIS_SENTINELS), on 127.0.0.1, with the tests' stand-in of Twilio's REST API. Nothing leaves the
machine; everything stops on exit.

- Throughput: `--conversations` conversations (fictional 555-01xx numbers; danger, claim, STOP, a request
  for a person and a quiet one, in turn), `--parallel` at once, each text on its own connection, spread
  round robin over the web processes; no kill. Conversations per second is conversations / wall time, and
  texts per second beside it. On this 2-core machine, shared with others, more web processes mostly share
  the same two cores: the figure says what one core carries, not what more machines would.
- Failover: the same conversations with 2 web processes and 2 workers; the primary is SIGKILLed when a
  third of the texts have been answered; a probe then texts every 0.1 s until a reply is the bot's own.
  Printed: the gap, the slowest webhook answer, how many got the static safety reply, and whether every
  transcript, page, STOP and queue entry came through (the test's checks, counted instead of asserted).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.failover_rig import ADVOCATES, Drive, pages, settle, start_line  # noqa: E402
from bench.handoff_rig import staffed_config  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--parallel", type=int, default=10, help="conversations texting at once")
    parser.add_argument("--webs", default="1,2,4", help="web processes for the throughput runs")
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args(argv)


def throughput(webs: int, args: argparse.Namespace, config_dir: Path) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="lantern-failover-") as scratch:
        line = start_line(Path(scratch), config_dir, webs=webs, workers=args.workers)
        try:
            started = time.monotonic()
            drive = Drive(line, args.conversations, kill_after=None, parallel=args.parallel, pause=0).run()
            seconds = time.monotonic() - started
            return args.conversations / seconds, len(drive.answers) / seconds
        finally:
            line.stop()


def failover(args: argparse.Namespace, config_dir: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="lantern-failover-") as scratch:
        line = start_line(Path(scratch), config_dir, webs=2, workers=args.workers)
        try:
            drive = Drive(line, args.conversations, kill_after=None, parallel=args.parallel)
            drive.kill_after = sum(1 for n in drive.numbers for _ in drive.said(n)) // 3
            drive.run()
            back = drive.probe_until_real()
            settled = settle(line)
            return {"gap": drive.failover_gap() if back else None, "settled": settled, **outcome(line, drive)}
        finally:
            line.stop()


def outcome(line, drive: Drive) -> dict:
    store, urgent = line.lantern.stores.store, pages(line, urgent=True)
    lost = sum(1 for n in drive.numbers if [e["text"] for e in store.transcript(store.conversation_key(n))
                                             if e["by"] == "survivor"] != drive.said(n))
    paged_wrong = 0
    for number in drive.survivors("danger") + drive.survivors("claim"):
        code = store.get(store.conversation_key(number)).case_code
        paged_wrong += urgent.get(code) != {phone: 1 for phone in ADVOCATES.values()}
    stops_broken = sum(1 for n in drive.survivors("stop") if not store.is_opted_out(store.conversation_key(n)))
    return {"texts": len(drive.answers), "slowest": max(a.seconds for a in drive.answers),
            "safety_replies": sum(1 for a in drive.answers if not a.real), "transcripts_wrong": lost,
            "urgent_paged_wrong": paged_wrong, "stops_broken": stops_broken}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lantern-failover-config-") as config:
        config_dir = staffed_config(Path(config))
        print(f"{args.conversations} conversations, {args.parallel} at once, {args.workers} workers, Sentinel "
              "(1 primary, 2 replicas, 3 sentinels), WAIT 1 per turn")
        for webs in (int(w) for w in args.webs.split(",")):
            conversations, texts = throughput(webs, args, config_dir)
            print(f"  {webs} web process(es): {conversations:6.1f} conversations/s  {texts:6.1f} texts/s")
        result = failover(args, config_dir)
    gap = "never" if result["gap"] is None else f"{result['gap']:.2f} s"
    print(f"failover (2 web, primary SIGKILLed after a third of the texts): gap {gap} to the first real reply; "
          f"slowest answer {result['slowest']:.2f} s; {result['safety_replies']}/{result['texts']} safety replies; "
          f"settled {result['settled']}; transcripts wrong {result['transcripts_wrong']}, URGENT paged wrong "
          f"{result['urgent_paged_wrong']}, STOP broken {result['stops_broken']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
