"""Consented check-ins end to end: one neutral line, inside their window, never after STOP, quiet or DELETE."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.messaging.test_handoff import SURVIVOR

LA = ZoneInfo("America/Los_Angeles")
MONDAY_10AM = datetime(2026, 12, 7, 10, 0, tzinfo=LA)
CHECKIN = "Thinking of you. Text any time, day or night."


@pytest.fixture(autouse=True)
def clock():
    traveller = time_machine.travel(MONDAY_10AM, tick=True)
    traveller.start()
    yield
    traveller.stop()


def agree(make_texter, *answers: str):
    survivor = make_texter(SURVIVOR)
    for body in ("hello", "2", "no", "not tonight") + answers:
        survivor.send(body)
    return survivor


def run_at(work, when: datetime) -> None:
    with time_machine.travel(when, tick=True):
        work(with_scheduler=True)


def test_a_week_in_the_evening_sends_one_line_in_the_window_and_only_once(make_texter, work, roster, twilio_api,
                                                                          lantern):
    agree(make_texter, "1", "evening")
    work()
    run_at(work, MONDAY_10AM + timedelta(days=7, hours=1))   # due, but 11:00 is not the evening
    assert twilio_api.to(SURVIVOR) == []
    run_at(work, MONDAY_10AM + timedelta(days=7, hours=8))   # 18:00: inside their window
    assert twilio_api.to(SURVIVOR) == [CHECKIN]
    run_at(work, MONDAY_10AM + timedelta(days=40))
    assert twilio_api.to(SURVIVOR) == [CHECKIN]  # at most one per yes
    assert lantern.stores.store.get(lantern.stores.store.conversation_key(SURVIVOR)).checkin is None


def test_a_month_outlives_the_retention_of_an_idle_conversation(make_texter, work, roster, twilio_api, lantern,
                                                                 raw_redis):
    agree(make_texter, "2", "2")
    work()
    from store.keys import key_for
    ttl = raw_redis.ttl(key_for(lantern.stores.store.conversation_key(SURVIVOR), "state"))
    assert ttl > 30 * 86400
    run_at(work, MONDAY_10AM + timedelta(days=30, hours=4))  # 14:00, the afternoon
    assert twilio_api.to(SURVIVOR) == [CHECKIN]


@pytest.mark.parametrize("then", [["STOP"], ["QUIET"], ["DELETE"], ["hello", "3"], ["cant talk"]])
def test_never_after_stop_quiet_delete_or_cant_talk(make_texter, work, roster, twilio_api, then):
    survivor = agree(make_texter, "1", "1")
    with time_machine.travel(MONDAY_10AM + timedelta(hours=2), tick=True):
        for body in then:
            survivor.send(body)
    work()
    run_at(work, MONDAY_10AM + timedelta(days=8))
    assert twilio_api.to(SURVIVOR) == []


def test_a_reply_to_a_check_in_is_a_normal_conversation_and_is_counted(
        make_texter, work, roster, twilio_api, lantern):
    survivor = agree(make_texter, "1", "1")
    work()
    run_at(work, MONDAY_10AM + timedelta(days=7))
    assert twilio_api.to(SURVIVOR) == [CHECKIN]
    with time_machine.travel(MONDAY_10AM + timedelta(days=7, hours=1), tick=True):
        assert "911" in survivor.send("hi")[0]  # the safety check, as any first message
    counts, _ = lantern.stores.reports.between((MONDAY_10AM + timedelta(days=7)).date(),
                                        (MONDAY_10AM + timedelta(days=7)).date())
    day = counts[(MONDAY_10AM + timedelta(days=7)).date()]
    assert day["checkin.sent"] == 1 and day["checkin.answered"] == 1


def test_the_check_in_passes_the_send_time_safety_check(make_texter, work, roster, twilio_api, lantern, raw_redis):
    from store.keys import key_for

    agree(make_texter, "1", "1")
    work()
    # STOP recorded outside the turn (a carrier's opt-out): the job's own re-check must still drop it.
    raw_redis.set(key_for(lantern.stores.store.conversation_key(SURVIVOR), "optout"), b"1")
    run_at(work, MONDAY_10AM + timedelta(days=7, hours=1))
    assert twilio_api.to(SURVIVOR) == []
