"""µs per engine step: the pure engine in this process, no Flask, no Redis, no crypto.

The cases are made by playing short conversations through the engine itself, so each step starts
from a state the flow really reaches (flows/survivor.yaml): every state of the survivor line shows
up, weighted roughly as traffic would be (the common path most, the rare branches less).
"""
from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.load import SCRIPT, texter
from bot.conversation import Conversation, Inbound
from bot.engine import Engine
from config.content import load_content

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = (
    SCRIPT,  # the load test's conversation: the common path, twice as often as the others
    SCRIPT,
    ("help me please, he is hitting me", "yes", "Compton", "ok", "thanks"),  # danger, safe place
    ("hola", "3", "hola", "1", "2", "gracias"),  # Spanish, can't talk, comes back, an advocate
    ("hi", "2", "no", "no", "hi again"),  # danger, declines the place and the advocate, idle
    ("hi", "asdf", "qwerty", "yes", "??"),  # unreadable twice: handed to a person
    ("hi", "STOP", "hello?", "START", "1", "QUIET"),  # opt out, silence, back, quiet word
)
EPOCH = 1_760_000_000.0


@dataclass
class EngineResult:
    us_per_step: float  # steps run back to back: the engine's own cost, caches warm
    cold_us_per_step: float  # each step after the caches were flushed, as inside a real request
    steps: int
    cases: int
    us_by_state: dict[str, float]


def build_cases(engine: Engine, conversations: int = 70) -> list[tuple[Conversation, Inbound, float]]:
    cases = []
    for c in range(conversations):
        address = texter(c)
        conv, now = Conversation(key=f"{c:032x}", address=address), EPOCH + c
        for n, body in enumerate(SCRIPTS[c % len(SCRIPTS)]):
            inbound = Inbound(sid=f"SM{c:016x}{n:016x}", address=address, body=body)
            cases.append((conv, inbound, now))
            conv = engine.step(conv, inbound, now).conversation  # step never changes its input
            now += 45.0
    return cases


def measure(repeats: int = 200) -> EngineResult:
    engine = Engine(load_content(REPO / "config"))
    cases = build_cases(engine)
    for conv, inbound, now in cases:  # warm caches (regex, enum, dataclass) before timing
        engine.step(conv, inbound, now)
    us_per_step, by_state = _warm(engine, cases, repeats)
    return EngineResult(us_per_step, _cold(engine, cases), len(cases) * repeats, len(cases), by_state)


def _warm(engine: Engine, cases: list, repeats: int) -> tuple[float, dict[str, float]]:
    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for conv, inbound, now in cases:
        started = time.perf_counter()
        for _ in range(repeats):
            engine.step(conv, inbound, now)
        totals[conv.state] += time.perf_counter() - started
        counts[conv.state] += repeats
    by_state = {s: totals[s] / counts[s] * 1e6 for s in totals}
    ordered = dict(sorted(by_state.items(), key=lambda item: -item[1]))
    return sum(totals.values()) / sum(counts.values()) * 1e6, ordered


def _cold(engine: Engine, cases: list, passes: int = 2) -> float:
    """In a webhook, Flask, redis-py and crypto run between two steps and evict the engine from the
    CPU caches; timed that way a step costs several times the warm figure, so both are shown."""
    scratch = bytearray(8 << 20)  # well past the per-core L1/L2 caches; a real request touches as much
    zeros = bytes(len(scratch[::64]))
    filler = [{"n": i, "s": str(i)} for i in range(3000)]
    total = 0.0
    for _ in range(passes):
        for conv, inbound, now in cases:
            scratch[::64] = zeros  # touch one byte per cache line
            json.dumps(filler)  # other Python code, as the rest of a request would run
            started = time.perf_counter()
            engine.step(conv, inbound, now)
            total += time.perf_counter() - started
    return total / (passes * len(cases)) * 1e6
