"""A send job that got a page to Twilio waits out a Redis outage to record it, instead of failing and being
run again (which would page the advocate a second time)."""
from __future__ import annotations

import logging

import pytest

from messaging.redis_back import when_back
from store.crypto import Cipher
from store.outbox import Outbox
from config.settings import new_data_key
from tests.faults import FaultPlan, faulty_redis

log = logging.getLogger("test")


def test_a_message_twilio_took_is_recorded_once_redis_answers_again(redis_url):
    if redis_url is None:
        pytest.skip("needs a real Redis to fail at the socket")
    plan = FaultPlan()
    outbox = Outbox(faulty_redis(redis_url, plan), Cipher((new_data_key(),)), 3600)
    message = outbox.create("page", "+15555550120", "URGENT K7Q2")
    plan.arm(fail_at=1, after_send=False)  # the mark's first round trip meets a dead connection
    when_back(lambda: outbox.mark(message, "queued", twilio_sid="SM" + "2" * 32), log, "send job", give_up_after=5)
    assert plan.fired
    assert outbox.get(message.id).done  # a rerun of the job would find it sent and send nothing


def test_an_outage_longer_than_the_wait_is_raised(redis_url):
    if redis_url is None:
        pytest.skip("needs a real Redis to fail at the socket")
    plan = FaultPlan()
    client = faulty_redis(redis_url, plan)
    calls = []

    def always_down():
        calls.append(1)
        plan.arm(fail_at=1)
        return client.get("lantern:test:anything")

    with pytest.raises(Exception) as raised:
        when_back(always_down, log, "send job", give_up_after=0.5)
    assert len(calls) >= 2 and "injected" in str(raised.value)
