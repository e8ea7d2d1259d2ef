"""After hours, end to end, on the shipped hours (weekdays 09:00-17:00, Los Angeles) with the clock moved."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from config.settings import load_settings
from tests.conftest import ALEXIS, CONFIG_DIR, MORGAN, RILEY, SAM, environ_for, write_test_config
from tests.messaging.test_handoff import SURVIVOR, survivor_code

LA = ZoneInfo("America/Los_Angeles")
SATURDAY_NIGHT = datetime(2026, 11, 28, 23, 0, tzinfo=LA)


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LA)


@pytest.fixture(autouse=True)
def clock():
    """Saturday 23:00 in Los Angeles, before the app is built; tests move it on."""
    traveller = time_machine.travel(SATURDAY_NIGHT, tick=True)
    coordinates = traveller.start()
    yield coordinates
    traveller.stop()


@pytest.fixture
def settings(redis_url, twilio_api, tmp_path):
    config = write_test_config(tmp_path / "config")
    (config / "hours.yaml").write_text((CONFIG_DIR / "hours.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return load_settings(environ_for(redis_url, TWILIO_API_BASE=twilio_api.url, LANTERN_CONFIG_DIR=str(config)),
                         dotenv=False)


def triage(texter, *answers: str) -> list[str]:
    replies = []
    for body in answers:
        replies = texter.send(body)
    return replies


def test_the_first_reply_says_the_line_is_automatic_and_promises_silence(make_texter):
    [reply] = make_texter(SURVIVOR).send("hi")
    assert reply.startswith("This line is answered automatically right now; an on-call advocate handles emergencies.")
    assert "911" in reply and "1-888-373-7888" in reply and "233733" in reply
    assert "15 minutes" in reply and reply.endswith(
        "Are you safe to talk? Reply 1 safe to talk now, 2 in danger or need help now, 3 can't talk now.")


@pytest.mark.parametrize("answers, expected", [
    (("hi", "1", "yes", "no", "yes"), "Call 911 now if you can."),
    (("hola", "1", "si", "no", "si"), "Llama al 911 ahora si puedes."),
    (("hi", "he's outside with a knife"), "Call 911 now if you can."),
    (("hi", "2"), "Call 911 now if you can."),  # 2 is "in danger", day and night
    (("hi", "1", "2"), "Call 911 now if you can."),  # and stays so in the questions after it
])
def test_every_urgent_path_pages_on_call_at_once(make_texter, work, roster, twilio_api, answers, expected):
    survivor = make_texter(SURVIVOR)
    reply = triage(survivor, *answers)
    assert reply[0].startswith(expected)
    work()
    code = survivor_code(survivor)
    assert twilio_api.to(RILEY) and f"URGENT request {code}" in twilio_api.to(RILEY)[0]


def test_a_minor_gets_the_youth_line_and_the_page_says_mandatory_reporting(make_texter, work, roster, twilio_api):
    survivor = make_texter(SURVIVOR)
    replies = triage(survivor, "hi", "1", "yes", "yes", "no")
    assert "Youth line (under 18)" in replies[-1]
    work()
    assert "(under 18: mandatory reporting applies)" in twilio_api.to(RILEY)[0]


@pytest.mark.parametrize("answers, expected", [
    (("hi", "1", "no", "no", "no"), "looking for one now"),
    (("hola", "si puedo hablar", "no tengo donde dormir", "tengo 20", "no"), "está buscando uno"),
])
def test_nowhere_safe_tonight_pages_on_call_high(make_texter, work, roster, twilio_api, answers, expected):
    survivor = make_texter(SURVIVOR)
    assert expected in triage(survivor, *answers)[0]
    work()
    assert f"HIGH request {survivor_code(survivor)}" in twilio_api.to(RILEY)[0]


def test_a_booked_window_nothing_before_it_opens_and_the_advocate_is_reminded(make_texter, work, roster, twilio_api,
                                                                               clock):
    survivor = make_texter(SURVIVOR)
    reply = triage(survivor, "hi", "1", "yes", "no", "no", "yes", "morning")
    assert reply == ["Thank you. An advocate will text you in the morning, not before. Not safe then? Reply QUIET. "
                     "In danger? Call 911."]
    work(with_scheduler=True)
    assert twilio_api.sent == []  # booked: nobody is woken, nobody is paged at night
    code = survivor_code(survivor)
    clock.move_to(at(2026, 11, 29, 8, 0))
    assert make_texter(ALEXIS).send(f"CLAIM {code}")[0].startswith(f"{code} is yours")
    work(with_scheduler=True)
    assert twilio_api.to(SURVIVOR) == []  # claimed at 08:00, but their safe time starts at 09:00
    clock.move_to(at(2026, 11, 29, 9, 0, 5))
    work(with_scheduler=True)
    assert twilio_api.to(SURVIVOR) == ["Hi, this is Alexis, an advocate. I'm here with you now."]
    assert f"{code}'s safe time (morning) has started: you may text them first now." in twilio_api.to(ALEXIS)


def test_nobody_who_did_not_say_yes_is_texted_first(make_texter, work, roster, twilio_api, clock):
    survivor = make_texter(SURVIVOR)
    assert triage(survivor, "hi", "1", "yes", "no", "no", "no")[0].startswith("Okay. Nobody will text you first.")
    code = survivor_code(survivor)
    clock.move_to(at(2026, 11, 30, 10, 0))
    alexis = make_texter(ALEXIS)
    assert "haven't said we may text first" in alexis.send(f"CLAIM {code}")[0]
    work(with_scheduler=True)
    assert twilio_api.to(SURVIVOR) == []


def test_the_fifteen_minute_silence_promise_is_kept(make_texter, work, roster, twilio_api, clock):
    survivor = make_texter(SURVIVOR)
    triage(survivor, "hi", "can I talk to a real person")
    work()
    clock.move_to(at(2026, 11, 28, 23, 16))
    work(with_scheduler=True)  # the 15-minute escalation: advocates are paged again, the survivor is not texted
    assert twilio_api.to(ALEXIS)[-1].startswith("Lantern: still waiting")
    assert twilio_api.to(SURVIVOR) == []
    assert "advocate will text you" in survivor.send("still there?")[0]  # their next text resumes


def test_shift_start_pages_a_summary_and_supervisors_get_the_night(make_texter, work, roster, twilio_api, clock):
    urgent, booked = make_texter(SURVIVOR), make_texter("+15555550175")
    triage(urgent, "hi", "2")
    triage(booked, "hi", "1", "yes", "no", "no", "yes", "afternoon")
    work()
    urgent_code, booked_code = survivor_code(urgent), survivor_code(booked)
    clock.move_to(at(2026, 11, 28, 23, 12))
    make_texter(RILEY).send(f"CLAIM {urgent_code}")
    clock.move_to(at(2026, 11, 30, 9, 0, 30))
    work(with_scheduler=True)
    assert f"Lantern: shift started. Waiting: 1 NORMAL ({booked_code}). Reply LIST for details." in twilio_api.to(SAM)
    assert twilio_api.to(MORGAN)[-1] == (f"Lantern, while nobody was on shift: 2 requests (1 URGENT, 1 NORMAL); 1 paged. "
                                         f"URGENT time to claim: {urgent_code} 12 min.")
    for message in twilio_api.sent:
        if message.to != SURVIVOR:
            assert "5555550" not in message.body and "hi" not in message.body.split()
