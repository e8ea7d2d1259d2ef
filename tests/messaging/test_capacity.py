"""Capacity, language-first paging and nobody free: signed webhooks, real Redis, a real RQ worker."""
from __future__ import annotations

import time

import time_machine

from tests.conftest import ALEXIS, MORGAN, RILEY, SAM
from tests.messaging.test_handoff import survivor_code

FIRST, SECOND, THIRD = "+15555550161", "+15555550162", "+15555550163"


def later(minutes: float):
    return time_machine.travel(time.time() + minutes * 60, tick=True)


def ask_for_a_person(make_texter, number: str, spanish: bool = False) -> tuple[object, str, list[str]]:
    survivor = make_texter(number)
    survivor.send("hola" if spanish else "hello")
    replies = survivor.send("quiero hablar con una persona" if spanish else "can I talk to someone")
    return survivor, survivor_code(survivor), replies


def danger(make_texter, number: str) -> tuple[object, str]:
    survivor = make_texter(number)
    survivor.send("hello"), survivor.send("2")
    return survivor, survivor_code(survivor)


def pages(twilio_api, number: str) -> list[str]:
    return [body for body in twilio_api.to(number) if body.startswith("Lantern:")]


def test_an_advocate_at_capacity_is_not_paged_and_their_claim_is_refused_unless_urgent(
        make_texter, work, roster, twilio_api):
    roster.update("Alexis Rivera", capacity=1)
    alexis = make_texter(ALEXIS)
    _, first, _ = ask_for_a_person(make_texter, FIRST)
    assert alexis.send(f"CLAIM {first}")[0].startswith(f"{first} is yours")
    work()
    before = len(pages(twilio_api, ALEXIS))
    _, second, _ = ask_for_a_person(make_texter, SECOND)
    work()
    assert len(pages(twilio_api, ALEXIS)) == before  # holds 1 of 1: not paged for NORMAL
    assert pages(twilio_api, SAM)[-1] == f"Lantern: NORMAL request {second} (en, area not given). Reply CLAIM {second}"
    assert alexis.send(f"CLAIM {second}") == ["You hold 1 of 1. RELEASE or CLOSE one first."]

    _, urgent = danger(make_texter, THIRD)
    work()
    assert pages(twilio_api, ALEXIS)[-1].startswith(f"Lantern: URGENT request {urgent}")  # URGENT pages everyone
    assert alexis.send(f"CLAIM {urgent}")[0].startswith(f"{urgent} is yours")  # and may go past capacity


def test_the_console_claim_is_refused_the_same_way(make_texter, work, roster, lantern):
    from bot.advocates import Command

    roster.update("Sam Okafor", capacity=1)
    _, first, _ = ask_for_a_person(make_texter, FIRST)
    _, second, _ = ask_for_a_person(make_texter, SECOND)
    sam = roster.named("Sam Okafor")
    assert lantern.desk.run(sam, Command("claim", first)).done
    refused = lantern.desk.run(sam, Command("claim", second))
    assert (refused.kind, refused.replies) == ("at_capacity", ["You hold 1 of 1. RELEASE or CLOSE one first."])


def test_a_request_pages_those_who_speak_its_language_first_and_the_others_after_the_wait(
        make_texter, work, roster, twilio_api):
    roster.update("Sam Okafor", languages="en,es")
    _, code, _ = ask_for_a_person(make_texter, FIRST, spanish=True)
    work()
    assert pages(twilio_api, SAM) == [f"Lantern: NORMAL request {code} (es, area not given). Reply CLAIM {code}"]
    assert pages(twilio_api, ALEXIS) == []
    with later(4):
        work(with_scheduler=True)
    assert pages(twilio_api, ALEXIS) == []  # the language wait is 5 minutes
    with later(6):
        work(with_scheduler=True)
    assert pages(twilio_api, ALEXIS) == [f"Lantern: NORMAL request {code} (es, area not given). Reply CLAIM {code}"]
    assert len(pages(twilio_api, SAM)) == 1


def test_a_claim_within_the_language_wait_pages_nobody_else(make_texter, work, roster, twilio_api):
    roster.update("Sam Okafor", languages="es")
    _, code, _ = ask_for_a_person(make_texter, FIRST, spanish=True)
    make_texter(SAM).send(f"CLAIM {code}")
    with later(6):
        work(with_scheduler=True)
    assert pages(twilio_api, ALEXIS) == []


def test_urgent_pages_everyone_at_once_whatever_they_speak(make_texter, work, roster, twilio_api):
    roster.update("Sam Okafor", languages="en,es")
    survivor = make_texter(FIRST)
    survivor.send("hola"), survivor.send("me pega")
    work()
    code = survivor_code(survivor)
    for number in (ALEXIS, SAM, RILEY):
        assert pages(twilio_api, number) == [f"Lantern: URGENT request {code} (es, area not given). Reply CLAIM {code}"]


def test_when_nobody_free_speaks_it_everyone_free_is_paged_at_once(make_texter, work, roster, twilio_api):
    _, code, _ = ask_for_a_person(make_texter, FIRST, spanish=True)
    work()
    assert len(pages(twilio_api, ALEXIS)) == 1 and len(pages(twilio_api, SAM)) == 1


def test_nobody_free_gives_an_honest_holding_line_and_pages_supervisors_and_on_call(
        make_texter, work, roster, twilio_api):
    roster.update("Alexis Rivera", capacity=1)
    roster.update("Sam Okafor", capacity=1)
    _, first, _ = ask_for_a_person(make_texter, FIRST)
    _, second, _ = ask_for_a_person(make_texter, SECOND)
    make_texter(ALEXIS).send(f"CLAIM {first}")
    make_texter(SAM).send(f"CLAIM {second}")
    work()
    survivor, third, replies = ask_for_a_person(make_texter, THIRD)
    work()
    holding = replies[-1]
    assert "Everyone who could answer is with someone else right now" in holding and "911" in holding
    assert "soon" not in holding and "min" not in holding  # no promise of a time
    none_free = (f"Lantern: 1 waiting, none free. Newest: NORMAL request {third} (en, area not given). "
                 f"Reply LIST, or CLAIM {third}")
    assert pages(twilio_api, MORGAN) == [none_free] and pages(twilio_api, RILEY) == [none_free]
    assert not any(third in body for body in twilio_api.to(ALEXIS) + twilio_api.to(SAM))
    for message in twilio_api.sent:
        assert "5555550163" not in message.body and "talk to someone" not in message.body


def test_nobody_on_the_roster_available_counts_as_nobody_free(make_texter, work, lantern, twilio_api):
    from bot.advocates import Role

    lantern.stores.roster.add("Morgan Diaz", MORGAN, role=Role.SUPERVISOR)
    lantern.stores.roster.add("Alexis Rivera", ALEXIS)  # on the roster, not on shift
    ask_for_a_person(make_texter, FIRST)
    _, code, replies = ask_for_a_person(make_texter, SECOND)
    work()
    assert "Everyone who could answer" in replies[-1]
    assert pages(twilio_api, MORGAN)[-1].startswith(f"Lantern: 2 waiting, none free. Newest: NORMAL request {code}")
    assert twilio_api.to(ALEXIS) == []


def test_capacity_and_languages_from_the_command_line(app, lantern):
    runner = app.test_cli_runner()
    added = runner.invoke(args=["advocates", "add", "--name", "Jordan Reyes", "--phone", "+12135550105",
                                "--capacity", "4", "--languages", "en,es"])
    assert added.exit_code == 0, added.output
    jordan = lantern.stores.roster.named("Jordan Reyes")
    assert (jordan.capacity, jordan.languages) == (4, ["en", "es"])
    changed = runner.invoke(args=["advocates", "capacity", "Jordan Reyes", "2"])
    assert changed.exit_code == 0 and "capacity 2" in changed.output
    assert lantern.stores.roster.named("jordan reyes").capacity == 2
    listed = runner.invoke(args=["advocates", "list"])
    assert "holding 0/2" in listed.output and "en,es" in listed.output
    for args in (["capacity", "Jordan Reyes", "0"], ["capacity", "Jordan Reyes", "many"],
                 ["add", "--name", "Kai Lee", "--phone", "+12135550106", "--languages", "english!"]):
        refused = runner.invoke(args=["advocates", *args])
        assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert lantern.stores.roster.named("Jordan Reyes").capacity == 2


def test_an_advocate_kept_before_capacity_existed_reads_with_the_defaults():
    from bot.advocates import Advocate

    old = '{"id": "ana", "name": "Ana", "phone": "+12135550109", "role": "advocate", "on_call": false, "available": true}'
    advocate = Advocate.from_json(old)
    assert (advocate.capacity, advocate.languages) == (3, ["en"])
