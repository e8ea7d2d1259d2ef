"""People's own words through the whole line: signed webhook, real Redis, RQ worker, the Twilio stand-in."""
from __future__ import annotations

from tests.conftest import ALEXIS, RILEY
from tests.messaging.test_handoff import SURVIVOR, survivor_code

DISCREET = "Ok. Text when you can."


def test_cant_talk_with_danger_gets_one_discreet_line_and_an_urgent_page_marked_do_not_text(
        make_texter, work, roster, twilio_api):
    survivor = make_texter(SURVIVOR)
    assert survivor.send("cant talk hes watching me") == [DISCREET]
    work()
    code = survivor_code(survivor)
    page = twilio_api.to(RILEY)[0]
    assert page == (f"Lantern: URGENT request {code} (en, area not given) (do not text first: wait for them to "
                    f"write). Reply CLAIM {code}")
    assert "watching" not in page and "5555550" not in page  # a page never carries their words or number
    # The advocate who claims is told not to write; nothing reaches the person until they text again.
    assert "nothing goes to them" in make_texter(ALEXIS).send(f"CLAIM {code}")[0]
    work()
    assert twilio_api.to(SURVIVOR) == []


def test_danger_in_their_own_words_pages_urgent_and_names_911(make_texter, work, roster, twilio_api):
    survivor = make_texter(SURVIVOR)
    survivor.send("hi")
    [reply] = survivor.send("he hits me and took my pasport")
    assert "911" in reply and "1-888-373-7888" in reply and "233733" in reply
    work()
    assert f"URGENT request {survivor_code(survivor)}" in twilio_api.to(RILEY)[0]


def test_a_reassurance_is_never_answered_with_911_and_pages_nobody(make_texter, work, roster, twilio_api):
    survivor = make_texter(SURVIVOR)
    survivor.send("hola")
    [reply] = survivor.send("no estoy en peligro, solo quiero informacion")
    assert "911" not in reply and reply.startswith("¿Qué necesitas?")
    work()
    assert twilio_api.sent == []


def test_delete_erases_what_was_kept_of_the_danger(make_texter, work, roster, lantern):
    survivor = make_texter(SURVIVOR)
    survivor.send("hi")
    survivor.send("me pegan y tengo miedo")
    assert lantern.stores.store.get(lantern.stores.store.conversation_key(SURVIVOR)).danger_signals
    survivor.send("BORRAR")
    conv = lantern.stores.store.get(lantern.stores.store.conversation_key(SURVIVOR))
    assert conv is None or (conv.danger_signals == [] and conv.answers == {})


import pytest  # noqa: E402


@pytest.mark.parametrize("text", [
    "mi jefe me va a matar si me voy",  # an idiom once read "jefe ... me va a matar" as a figure of speech
    "my dad said he would kill me if i told anyone",  # a parent's threat kept secret is meant
    "he told me hes gonna kill me, my mom is scared too",
])
def test_a_threat_said_of_the_boss_or_kept_secret_pages_urgent(make_texter, work, roster, twilio_api, text):
    survivor = make_texter(SURVIVOR)
    survivor.send("hi")
    [reply] = survivor.send(text)
    assert "911" in reply
    work()
    assert f"URGENT request {survivor_code(survivor)}" in twilio_api.to(RILEY)[0]


@pytest.mark.parametrize("text", [
    "my mom is gonna kill me i forgot the milk again",
    "este calor nos va a matar a todos",
    "el bebe me mordio, es normal a los 2 años?",
    "no one is outside, i checked",
])
def test_a_figure_of_speech_or_a_reassurance_pages_nobody(make_texter, work, roster, twilio_api, text):
    survivor = make_texter(SURVIVOR)
    survivor.send("hi")
    [reply] = survivor.send(text)
    assert "911" not in reply
    work()
    assert twilio_api.sent == []
