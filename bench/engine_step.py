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
    us_per_step: float  # steps run one after another over all cases: the engine's own cost, caches warm
    cold_us_per_step: float  # each step after the caches were flushed, as inside a real request
    steps: int
    cases: int
    us_by_state: dict[str, float]
    cold_without_understanding_us: float = 0.0  # the same, with each text's reading already known
    cold_understanding_us: float = 0.0  # understanding alone (Understanding.read), caches flushed


class _Remembered:
    """The engine's understanding with every case's reading worked out beforehand: what is left of a step
    is the engine's own work (keywords, the flow, the Machine, replies, effects)."""

    def __init__(self, understanding, texts):
        self._understanding = understanding
        self._readings = {text: understanding.read(text) for text in texts}

    def read(self, text: str):
        return self._readings[text]

    def __getattr__(self, name: str):
        return getattr(self._understanding, name)


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
    engine.understanding.remember(0)  # every text read afresh: the short answers it remembers would be free
    cases = build_cases(engine)
    for conv, inbound, now in cases:  # warm caches (regex, enum, dataclass) before timing
        engine.step(conv, inbound, now)
    us_per_step, by_state = _warm(engine, cases, repeats)
    cold = cold_step_us(engine, cases)
    understanding = engine.understanding
    texts = sorted({inbound.body for _, inbound, _ in cases})
    cold_reads = _cold_calls(lambda text: understanding.read(text), [inbound.body for _, inbound, _ in cases])
    # The engine reads through its Reader (bot/reading.py), which holds the understanding it was built with.
    engine.reader.understanding = _Remembered(understanding, texts)
    try:
        cold_without = cold_step_us(engine, cases)
    finally:
        engine.reader.understanding = understanding
    return EngineResult(us_per_step, cold, len(cases) * repeats, len(cases), by_state, cold_without, cold_reads)


def _warm(engine: Engine, cases: list, repeats: int) -> tuple[float, dict[str, float]]:
    """Every case in turn, `repeats` times over: never the same step twice in a row."""
    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for _ in range(repeats):
        for conv, inbound, now in cases:
            started = time.perf_counter()
            engine.step(conv, inbound, now)
            totals[conv.state] += time.perf_counter() - started
            counts[conv.state] += 1
    by_state = {s: totals[s] / counts[s] * 1e6 for s in totals}
    ordered = dict(sorted(by_state.items(), key=lambda item: -item[1]))
    return sum(totals.values()) / sum(counts.values()) * 1e6, ordered


def cold_step_us(engine: Engine, cases: list, passes: int = 2) -> float:
    """In a webhook, Flask, redis-py and crypto run between two steps and evict the engine from the
    CPU caches; timed that way a step costs several times the warm figure, so both are shown."""
    return _cold_calls(lambda case: engine.step(*case), cases, passes)


def _cold_calls(call, arguments: list, passes: int = 2) -> float:
    """µs per `call(argument)`, each after the CPU caches were flushed."""
    scratch = bytearray(8 << 20)  # well past the per-core L1/L2 caches; a real request touches as much
    zeros = bytes(len(scratch[::64]))
    filler = [{"n": i, "s": str(i)} for i in range(3000)]
    total = 0.0
    for _ in range(passes):
        for argument in arguments:
            scratch[::64] = zeros  # touch one byte per cache line
            json.dumps(filler)  # other Python code, as the rest of a request would run
            started = time.perf_counter()
            call(argument)
            total += time.perf_counter() - started
    return total / (passes * len(arguments)) * 1e6
