"""The web chat is the same line: same engine, store, handoff and safety rules, with a browser tab for a phone.

Real Redis, a real RQ worker and Twilio's REST API stood in; advocates text in through signed webhooks.
"""
from __future__ import annotations

import re

import pytest

from tests.conftest import ALEXIS, RILEY, SAM

HOTLINE = ("911", "1-888-373-7888", "233733")


def names_911_and_the_hotline(text: str) -> bool:
    return all(part in text for part in HOTLINE)


def case_code(visitor) -> str:
    return visitor.lantern.stores.store.get(visitor.conv_key).case_code


@pytest.mark.parametrize("lang, question", [("en", "Are you safe to talk?"), ("es", "¿Puedes hablar con seguridad?")])
def test_the_first_message_is_the_safety_check_in_the_pages_language(visitor, lang, question):
    [first] = visitor.start(lang)
    assert question in first and names_911_and_the_hotline(first)  # safety rule 1


def test_two_gets_911_and_pages_advocates_as_a_web_chat_without_token_or_words(visitor, roster, work, twilio_api):
    visitor.start()
    reply = visitor.say("2")
    assert names_911_and_the_hotline(reply[0])
    work()
    code = case_code(visitor)
    page = f"Lantern: URGENT request {code} (en, web chat, area not given). Reply CLAIM {code}"
    assert twilio_api.to(ALEXIS) == [page] and twilio_api.to(RILEY) == [page]
    for message in twilio_api.sent:  # safety rule 3; and nothing went to Twilio for the visitor
        assert visitor.token not in message.body and not message.to.startswith("web:")


def test_danger_words_in_spanish_get_911_at_once(visitor):
    visitor.start("es")
    [reply, *_] = visitor.say("me pega, no puedo salir")
    assert "Llama al 911" in reply and names_911_and_the_hotline(reply)


def test_an_advocate_claims_by_sms_and_relays_through_the_tab_never_twilio(visitor, make_texter, roster, work,
                                                                        twilio_api):
    visitor.start()
    visitor.say("2")
    work()
    code = case_code(visitor)
    alexis = make_texter(ALEXIS)
    assert alexis.send(f"CLAIM {code}")[0].startswith(f"{code} is yours")
    assert alexis.send("I'm here. Are you somewhere safe?") == []
    work()
    from_alexis = [e for e in visitor.new() if e["by"] == "advocate"]
    assert [(e["name"], e["text"]) for e in from_alexis] == [
        ("Alexis", "Hi, this is Alexis, an advocate. I'm here with you now."),
        ("Alexis", "I'm here. Are you somewhere safe?")]
    assert visitor.say("yes, at the library") == []  # the bot says nothing while a person is with them
    work()
    assert twilio_api.to(ALEXIS)[-1] == f"{code} wrote: «yes, at the library»"
    assert all(not m.to.startswith("web:") for m in twilio_api.sent)
    assert alexis.send(f"CLOSE {code}")[0].startswith(f"Closed {code}")
    work()
    assert visitor.new()[-1]["text"].startswith("This conversation is closed.")


def test_a_relay_queued_before_the_visitor_asked_for_quiet_never_reaches_the_tab(visitor, make_texter, roster,
                                                                                work, twilio_api):
    visitor.start()
    visitor.say("talk to a person")
    work()
    code = case_code(visitor)
    alexis = make_texter(ALEXIS)
    alexis.send(f"CLAIM {code}")
    work()
    visitor.new()
    alexis.send("Can you talk now?")  # queued, not yet sent
    visitor.say("QUIET")
    work()  # the job's safety re-check (safety rule 2) drops it
    assert "Can you talk now?" not in [e["text"] for e in visitor.new()]
    assert twilio_api.to(ALEXIS)[-1] == f"Not sent to {code}: they asked for quiet. You'll see their next message here."


def test_delete_empties_the_tab_with_the_transcript(visitor):
    visitor.start()
    visitor.say("1")
    response = visitor.post("DELETE")
    assert response.get_json()["cleared"] is True
    assert [e["text"] for e in visitor.new()] == [e["text"] for e in response.get_json()["entries"]]
    assert "1" not in [e["text"] for e in visitor.seen]
    assert visitor.lantern.stores.store.transcript(visitor.conv_key) == []


def test_quick_exit_ends_the_chat_withdraws_the_request_and_tells_the_advocate(visitor, make_texter, roster, work,
                                                                              twilio_api):
    visitor.start()
    visitor.say("2")
    work()
    code = case_code(visitor)
    alexis = make_texter(ALEXIS)
    alexis.send(f"CLAIM {code}")
    work()
    assert visitor.exit().status_code == 204
    assert visitor.post("are you there?").status_code == 410  # the token is never accepted again
    assert visitor.client.get("/chat/messages", headers={"X-Chat-Token": visitor.token}).status_code == 410
    work()
    assert twilio_api.to(ALEXIS)[-1] == (f"{code} left the web chat with quick exit: it has ended and nothing "
                                         "more can reach them.")
    assert alexis.send("Still with me?")[0].startswith("You have no conversation open")
    assert visitor.lantern.stores.store.waiting_requests() == []


def test_quick_exit_while_waiting_takes_the_request_out_of_the_queue(visitor, make_texter, roster, work):
    visitor.start()
    visitor.say("2")
    work()
    code = case_code(visitor)
    assert visitor.exit().status_code == 204
    assert visitor.exit().status_code == 204  # twice is fine: the page may send it as it goes
    assert make_texter(SAM).send(f"CLAIM {code}") == [f"{code} is no longer waiting."]


def test_a_new_tab_is_a_new_conversation(make_visitor):
    first, second = make_visitor(), make_visitor()
    first.start()
    first.say("1")
    assert "Are you safe to talk?" in second.start()[0]
    assert first.token != second.token and first.conv_key != second.conv_key


def test_the_store_keeps_only_the_keyed_hash_of_the_token(visitor, raw_redis):
    visitor.start()
    visitor.say("he has a gun")
    keys = b" ".join(raw_redis.keys("*"))
    assert visitor.token.encode() not in keys
    for key in raw_redis.keys("*"):
        if raw_redis.type(key) == b"string":
            assert visitor.token.encode() not in raw_redis.get(key)
    assert re.search(rb"lantern:\{" + visitor.conv_key.encode() + rb"\}:inbox", keys)


def test_stop_is_answered_in_the_tab_and_start_lifts_it(visitor, make_texter, roster, work):
    visitor.start()
    visitor.say("talk to a person")
    assert visitor.say("STOP") == [
        "Stopped: nothing more will be sent to you here. Send START to chat again. In danger? Call 911."]
    assert visitor.lantern.stores.store.is_opted_out(visitor.conv_key)
    assert "Are you safe to talk?" in visitor.say("START")[0]
