"""Unclaimed requests escalate on RQ's scheduler: page again (and one holding line), then the supervisors."""
from __future__ import annotations

import time

import time_machine
from rq.registry import ScheduledJobRegistry

from tests.conftest import ALEXIS, MORGAN, RILEY, SAM
from tests.messaging.test_handoff import SURVIVOR, survivor_code


def later(minutes: float):
    return time_machine.travel(time.time() + minutes * 60, tick=True)


def test_unclaimed_urgent_pages_again_then_supervisors(make_texter, work, roster, twilio_api, lantern):
    survivor = make_texter(SURVIVOR)
    survivor.send("hello"), survivor.send("2")
    work()
    code = survivor_code(survivor)
    assert twilio_api.to(MORGAN) == []
    with later(4):
        work(with_scheduler=True)
    assert len(twilio_api.to(ALEXIS)) == 1  # not yet: 5 minutes for URGENT
    with later(6):
        work(with_scheduler=True)
    assert twilio_api.to(ALEXIS)[-1].startswith("Lantern: still waiting") and code in twilio_api.to(RILEY)[-1]
    holding = twilio_api.to(SURVIVOR)
    assert len(holding) == 1 and "911" in holding[0] and "1-888-373-7888" in holding[0]
    with later(12):
        work(with_scheduler=True)
    assert twilio_api.to(MORGAN) == [f"Lantern: nobody has claimed URGENT request {code} (en, area not given) "
                                     f"for 12 min. Reply CLAIM {code}"]
    assert len(twilio_api.to(SURVIVOR)) == 1  # one holding line, no more


def test_a_claim_cancels_the_escalation(make_texter, work, roster, twilio_api, lantern):
    survivor = make_texter(SURVIVOR)
    survivor.send("hello"), survivor.send("2")
    work()
    assert len(ScheduledJobRegistry(queue=lantern.queue)) == 2  # the escalation, and the report's 15-minute watch
    make_texter(SAM).send(f"CLAIM {survivor_code(survivor)}")
    assert len(ScheduledJobRegistry(queue=lantern.queue)) == 0
    with later(30):
        work(with_scheduler=True)
    assert len(twilio_api.to(ALEXIS)) == 1 and twilio_api.to(MORGAN) == []


def test_no_holding_line_for_someone_who_did_not_say_yes(make_texter, work, roster, twilio_api):
    survivor = make_texter(SURVIVOR)
    survivor.send("hello"), survivor.send("2"), survivor.send("no")  # no safe place: asked whether we may text
    work()
    with later(6):
        work(with_scheduler=True)
    assert twilio_api.to(SURVIVOR) == []
    assert twilio_api.to(ALEXIS)[-1].startswith("Lantern: still waiting")


def test_normal_requests_wait_fifteen_minutes(make_texter, work, roster, twilio_api):
    survivor = make_texter(SURVIVOR)
    survivor.send("hello"), survivor.send("talk to someone")
    work()
    with later(10):
        work(with_scheduler=True)
    assert len(twilio_api.to(ALEXIS)) == 1
    with later(16):
        work(with_scheduler=True)
    assert len(twilio_api.to(ALEXIS)) == 2
