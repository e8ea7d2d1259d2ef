"""Redis round trips and commands per turn, counted at the socket by the tests' counting client.

An ordinary turn (a survivor answering a question) and a turn that asks for an advocate (danger, which
pages everyone), each through the signed webhook of the app as create_app builds it, on its own Redis.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

from redis import Redis


@dataclass(frozen=True)
class TurnCost:
    label: str
    round_trips: int
    commands: int


def measure(redis_url: str) -> list[TurnCost]:
    from app import build_app
    from config.settings import load_settings
    from tests.conftest import ALEXIS, SAM, Texter, environ_for
    from tests.faults import FaultPlan, faulty_redis

    Redis.from_url(redis_url).flushdb()
    plan = FaultPlan()
    environ = environ_for(redis_url, LANTERN_SPOOL_DIR=tempfile.mkdtemp(prefix="lantern-bench-spool-"))
    os.environ.pop("REDIS_URL", None)
    app, lantern = build_app(load_settings(environ, dotenv=False), faulty_redis(redis_url, plan))
    lantern.stores.roster.add("Alexis Rivera", ALEXIS, available=True)
    lantern.stores.roster.add("Sam Okafor", SAM, available=True)
    texter = Texter(app.test_client(), "+15555550151")
    texter.send("hello")  # first contact (and the write script loaded into Redis)
    costs = []
    for label, text in (("ordinary turn", "1"), ("request turn (danger)", "he hits me")):
        plan.arm()
        texter.send(text)
        costs.append(TurnCost(label, plan.round_trips, plan.commands))
    Redis.from_url(redis_url).flushdb()
    return costs


def print_costs(costs: list[TurnCost]) -> None:
    for cost in costs:
        print(f"redis per {cost.label:<22} {cost.round_trips:3d} round trips  {cost.commands:3d} commands"
              "  (a script counts as one command)")
