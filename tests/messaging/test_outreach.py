"""Outreach cards end to end: signed webhooks, real Redis, a real RQ worker, Twilio's REST API stood in."""
from __future__ import annotations

import time

import time_machine

from tests.conftest import ALEXIS, MORGAN, RILEY, SAM
from tests.messaging.test_handoff import SURVIVOR, survivor_code


def later(minutes: float):
    return time_machine.travel(time.time() + minutes * 60, tick=True)


def card_of(lantern, name: str = "Alexis Rivera") -> str:
    outreach = lantern.stores.outreaches.create("Reclaim and Rebuild, Dec 12", "2026-12-12", "South LA", [name, "Sam Okafor"])
    return next(c["code"] for c in outreach.cards if c["name"] == name)


def conv_of(lantern, number: str = SURVIVOR):
    return lantern.stores.store.get(lantern.stores.store.conversation_key(number))


def test_card_codes_are_five_characters_distinct_and_per_advocate(lantern, roster):
    outreach = lantern.stores.outreaches.create("Night", "2026-12-12", "South LA", ["Alexis Rivera", "Sam Okafor"])
    codes = [c["code"] for c in outreach.cards]
    assert len(set(codes)) == 2 and all(len(c) == 5 and c[:4].isalpha() and c[4].isdigit() for c in codes)
    assert lantern.stores.outreaches.card(codes[0].lower()).advocate == "alexis rivera"


def test_the_first_page_goes_to_the_card_advocate_alone_then_everyone_after_the_timeout(make_texter, work, roster,
                                                                                        twilio_api, lantern):
    code = card_of(lantern)
    survivor = make_texter(SURVIVOR)
    assert "911" in survivor.send(f"hi {code.lower()}")[0]  # the safety check still comes first
    survivor.send("1"), survivor.send("talk with someone")
    work()
    case = survivor_code(survivor)
    (page,) = twilio_api.to(ALEXIS)
    assert page == f"Lantern: NORMAL request {case} (en, area not given) (someone you met: Reclaim and Rebuild, " \
                   f"Dec 12). Reply CLAIM {case}"
    assert twilio_api.to(SAM) == [] and twilio_api.to(RILEY) == []
    with later(9):
        work(with_scheduler=True)
    assert twilio_api.to(SAM) == []
    with later(11):
        work(with_scheduler=True)
    assert twilio_api.to(SAM) == [f"Lantern: NORMAL request {case} (en, area not given). Reply CLAIM {case}"]
    assert len(twilio_api.to(ALEXIS)) == 2 and twilio_api.to(RILEY) == []


def test_a_claim_by_the_card_advocate_ends_the_card_first_wait(make_texter, work, roster, twilio_api, lantern):
    code = card_of(lantern)
    survivor = make_texter(SURVIVOR)
    survivor.send(code), survivor.send("1"), survivor.send("talk with someone")
    work()
    make_texter(ALEXIS).send(f"CLAIM {survivor_code(survivor)}")
    work()
    assert twilio_api.to(SURVIVOR) == ["Hi, this is Alexis, an advocate. I'm here with you now."]  # discreet
    with later(30):
        work(with_scheduler=True)
    assert twilio_api.to(SAM) == []


def test_danger_pages_everyone_at_once_whatever_the_card(make_texter, work, roster, twilio_api, lantern):
    code = card_of(lantern)
    survivor = make_texter(SURVIVOR)
    survivor.send(f"{code} he hit me")
    work()
    case = survivor_code(survivor)
    for advocate in (ALEXIS, SAM, RILEY):
        assert twilio_api.to(advocate) == [f"Lantern: URGENT request {case} (en, area not given). Reply CLAIM {case}"]


def test_off_shift_card_advocate_means_everyone_is_paged_as_now(make_texter, work, roster, twilio_api, lantern):
    code = card_of(lantern)
    roster.update("Alexis Rivera", available=False)
    survivor = make_texter(SURVIVOR)
    survivor.send(code), survivor.send("1"), survivor.send("talk with someone")
    work()
    assert twilio_api.to(SAM) and twilio_api.to(ALEXIS) == []


def test_the_card_code_later_in_the_conversation_links_it(make_texter, work, roster, lantern):
    code = card_of(lantern)
    survivor = make_texter(SURVIVOR)
    survivor.send("hello")
    assert survivor.send(f"a lady gave me a card it says {code}") != []
    conv = conv_of(lantern)
    assert conv.card_advocate == "alexis rivera" and conv.met_on == "2026-12-12"


def test_an_unknown_or_expired_code_is_simply_text(make_texter, lantern, roster, raw_redis):
    from store.keys import card_key

    code = card_of(lantern)
    raw_redis.delete(card_key(code))  # as when it expires
    survivor, control = make_texter(SURVIVOR), make_texter("+15555550161")
    survivor.send("hello"), control.send("hello")
    # The same answer as any other text (here, the same words with no card ever made), and no link.
    assert survivor.send(f"hi {code}") == control.send(f"hi {code}")
    assert conv_of(lantern).outreach is None


def test_the_code_is_never_texted_to_anyone(make_texter, work, roster, twilio_api, lantern):
    code = card_of(lantern)
    survivor = make_texter(SURVIVOR)
    replies = survivor.send(code) + survivor.send("1") + survivor.send("talk to someone")
    work()
    assert all(code not in r for r in replies) and all(code not in m.body for m in twilio_api.sent)
    assert twilio_api.to(MORGAN) == []
