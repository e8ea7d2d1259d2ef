"""Warm handoff end to end: signed webhooks, real Redis, a real RQ worker, Twilio's REST API stood in."""
from __future__ import annotations

import threading

from tests.conftest import ALEXIS, MORGAN, RILEY, SAM, Texter
from tests.apps import lantern_of

SURVIVOR = "+15555550160"


def urgent_request(make_texter, work) -> tuple[Texter, str]:
    survivor = make_texter(SURVIVOR)
    survivor.send("hello")
    survivor.send("2")
    work()
    return survivor, survivor_code(survivor)


def survivor_code(survivor: Texter) -> str:
    from flask import current_app

    with survivor.client.application.app_context():
        lantern = lantern_of(current_app._get_current_object())
        return lantern.stores.store.get(lantern.stores.store.conversation_key(survivor.number)).case_code


def test_a_new_request_pages_available_and_on_call_advocates_without_number_or_words(make_texter, work, roster,
                                                                                      twilio_api):
    survivor = make_texter(SURVIVOR)
    survivor.send("hola")
    survivor.send("me pega, estoy en Long Beach")
    work()
    code = survivor_code(survivor)
    page = f"Lantern: URGENT request {code} (es, area not given). Reply CLAIM {code}"
    assert twilio_api.to(ALEXIS) == [page] and twilio_api.to(SAM) == [page] and twilio_api.to(RILEY) == [page]
    assert twilio_api.to(MORGAN) == []  # supervisors come with escalation
    for message in twilio_api.sent:
        assert "5555550160" not in message.body and "pega" not in message.body
        assert message.from_ == "+15555550199"  # from the hotline number


def test_normal_request_pages_only_advocates_on_shift(make_texter, work, roster, twilio_api):
    survivor = make_texter(SURVIVOR)
    survivor.send("hello")
    survivor.send("can I talk to someone")
    work()
    assert {m.to for m in twilio_api.sent} == {ALEXIS, SAM}


def test_claim_race_relay_release_close_and_a_fresh_start(make_texter, work, roster, twilio_api):
    survivor, code = urgent_request(make_texter, work)
    alexis, sam = make_texter(ALEXIS), make_texter(SAM)
    answers: dict[str, list[str]] = {}
    racers = [threading.Thread(target=lambda t=t: answers.update({t.number: t.send(f"claim  {code.lower()}")}))
              for t in (alexis, sam)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    winners = [n for n, replies in answers.items() if replies[0].startswith(f"{code} is yours")]
    assert len(winners) == 1
    loser = SAM if winners == [ALEXIS] else ALEXIS
    winner_name = "Alexis" if winners == [ALEXIS] else "Sam"
    assert answers[loser] == [f"{code} is with {winner_name}."]
    winner = alexis if winners == [ALEXIS] else sam
    assert "URGENT" in "\n".join(answers[winners[0]]) and "them: 2" in "\n".join(answers[winners[0]])
    work()
    assert twilio_api.to(SURVIVOR) == [f"Hi, this is {winner_name}, an advocate. I'm here with you now."]

    assert winner.send("Are you somewhere safe right now?") == []
    assert survivor.send("yes, at a friend's place") == []  # the bot says nothing now
    work()
    assert twilio_api.to(SURVIVOR)[-1] == "Are you somewhere safe right now?"
    assert twilio_api.to(winners[0])[-1] == f"{code} wrote: «yes, at a friend's place»"

    assert winner.send(f"RELEASE {code}") == [f"Released {code}: it's back in the queue and advocates are paged."]
    work()
    assert twilio_api.to(loser)[-1].endswith(f"Reply CLAIM {code}")
    other = sam if winner is alexis else alexis
    assert other.send(f"CLAIM {code}")[0].startswith(f"{code} is yours")
    assert other.send(f"close {code}") == [f"Closed {code}. They got a closing line; their next text starts fresh."]
    work()
    assert twilio_api.to(SURVIVOR)[-1].startswith("This conversation is closed.")
    assert "Are you safe to talk" in survivor.send("hi again")[0]


def test_danger_words_with_an_advocate_raise_priority_and_say_so(make_texter, work, roster, twilio_api):
    survivor = make_texter(SURVIVOR)
    survivor.send("hello"), survivor.send("talk to a person")
    work()
    code = survivor_code(survivor)
    make_texter(ALEXIS).send(f"CLAIM {code}")
    assert survivor.send("he's coming back") == []
    work()
    assert twilio_api.to(ALEXIS)[-1] == f"{code} (DANGER words, now URGENT) wrote: «he's coming back»"


def test_twilio_500_twice_then_201_arrives_exactly_once(make_texter, work, roster, twilio_api):
    survivor = make_texter(SURVIVOR)
    survivor.send("hello"), survivor.send("talk to a person")
    work()
    code = survivor_code(survivor)
    make_texter(ALEXIS).send(f"CLAIM {code}")
    work()
    twilio_api.fail_next(500, times=2)
    make_texter(ALEXIS).send("I'm here. What do you need?")
    work()
    assert twilio_api.to(SURVIVOR).count("I'm here. What do you need?") == 1
    assert twilio_api.attempts >= 3


def test_opted_out_error_21610_is_final_and_not_retried(make_texter, work, roster, twilio_api, lantern):
    survivor = make_texter(SURVIVOR)
    survivor.send("hello"), survivor.send("talk to a person")
    twilio_api.fail_next(400, code=21610, times=1)
    before = twilio_api.attempts
    work()
    assert twilio_api.attempts - before == 2  # one refused page, one sent: no retry of the refused one
    assert len(twilio_api.sent) == 1


def test_a_survivor_who_went_quiet_after_a_relay_was_queued_receives_nothing(make_texter, work, roster, twilio_api):
    survivor = make_texter(SURVIVOR)
    survivor.send("hello"), survivor.send("talk to a person")
    work()
    code = survivor_code(survivor)
    alexis = make_texter(ALEXIS)
    alexis.send(f"CLAIM {code}")
    work()
    alexis.send("Can you talk now?")  # queued, not yet sent
    survivor.send("QUIET")
    work()
    assert "Can you talk now?" not in twilio_api.to(SURVIVOR)
    assert twilio_api.to(ALEXIS)[-2:] == [f"{code} asked for quiet: don't text until they do. The conversation stays yours.",
                                          f"Not sent to {code}: they asked for quiet. You'll see their next message here."]


def test_urgent_pages_are_sent_before_a_backlog_of_others(make_texter, work, roster, twilio_api):
    for n in range(5):
        normal = make_texter(f"+1555555017{n}")
        normal.send("hello"), normal.send("can I talk to someone")
    survivor = make_texter(SURVIVOR)
    survivor.send("hello"), survivor.send("2")
    work()
    code = survivor_code(survivor)
    first_pages = [m.body for m in twilio_api.sent[:3]]
    assert all(f"URGENT request {code}" in body for body in first_pages)
    assert len(twilio_api.sent) == 5 * 2 + 3
