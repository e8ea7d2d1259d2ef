"""What advocates text the hotline, and what they get back: one clear line, nothing changed on a mistake."""
from __future__ import annotations

import zlib

import pytest

from tests.conftest import ALEXIS, SAM, new_sid, signed_post
from tests.messaging.test_handoff import SURVIVOR, survivor_code


def request_for_a_person(make_texter, work, number=SURVIVOR):
    survivor = make_texter(number)
    survivor.send("hello"), survivor.send("can I talk to a real person")
    work()
    return survivor, survivor_code(survivor)


def test_list_and_help(make_texter, work, roster):
    _, normal = request_for_a_person(make_texter, work)
    urgent = make_texter("+15555550170")
    urgent.send("hello"), urgent.send("2")
    alexis = make_texter(ALEXIS)
    [listing] = alexis.send("list")
    assert listing.index(survivor_code(urgent)) < listing.index(normal) and "URGENT" in listing
    alexis.send(f"claim {normal}")
    assert alexis.send("  LIST ")[0].endswith(f"Yours: {normal}")
    assert "CLAIM code" in alexis.send("help")[0]


@pytest.mark.parametrize("body, expected", [
    ("CLAIM", "Which one? CLAIM K7Q2 (the code from the page)."),
    ("claim ZZZZ", "No request ZZZZ. LIST shows the waiting ones."),
    ("where is everyone?", "You have no conversation open. LIST shows the waiting requests."),
])
def test_mistakes_get_one_clear_line(make_texter, roster, body, expected):
    assert make_texter(ALEXIS).send(body) == [expected]


def test_a_code_that_is_not_theirs_changes_nothing(make_texter, work, roster, lantern):
    _, code = request_for_a_person(make_texter, work)
    make_texter(ALEXIS).send(f"CLAIM {code}")
    sam = make_texter(SAM)
    assert sam.send(f"RELEASE {code}") == [f"{code} isn't yours. LIST shows yours."]
    assert sam.send(f"#{code} hello") == [f"{code} isn't yours. LIST shows yours."]
    conv = lantern.stores.store.get(lantern.stores.store.conversation_for_code(code))
    assert conv.advocate_name == "Alexis" and conv.state == "with_advocate"


def test_two_open_conversations_need_a_hash_code(make_texter, work, roster, twilio_api):
    first, one = request_for_a_person(make_texter, work)
    second, two = request_for_a_person(make_texter, work, "+15555550171")
    alexis = make_texter(ALEXIS)
    alexis.send(f"CLAIM {one}"), alexis.send(f"CLAIM {two}")
    assert alexis.send("are you okay?") == [f"You have {one}, {two}. Start with #CODE to say which one."]
    assert alexis.send(f"#{two}  are you okay?") == []
    work()
    assert twilio_api.to("+15555550171")[-1] == "are you okay?"
    assert "are you okay?" not in twilio_api.to(SURVIVOR)


def test_someone_not_on_the_roster_texting_claim_is_a_survivor(make_texter, work, roster, lantern):
    _, code = request_for_a_person(make_texter, work)
    [reply] = make_texter("+15555550172").send(f"CLAIM {code}")
    assert "911" in reply and "Are you safe to talk" in reply
    assert lantern.stores.store.get(lantern.stores.store.conversation_for_code(code)).advocate is None


def test_a_retried_claim_runs_once(make_texter, work, roster, twilio_api):
    _, code = request_for_a_person(make_texter, work)
    alexis, sid = make_texter(ALEXIS), new_sid()
    first = alexis.send(f"CLAIM {code}", sid=sid)
    assert alexis.send(f"CLAIM {code}", sid=sid) == first
    work()
    assert len(twilio_api.to(SURVIVOR)) == 1  # one introduction


def test_stop_and_delete_tell_the_advocate_and_end_it(make_texter, work, roster, twilio_api):
    survivor, code = request_for_a_person(make_texter, work)
    alexis = make_texter(ALEXIS)
    alexis.send(f"CLAIM {code}")
    assert survivor.send("STOP") == []
    work()
    assert twilio_api.to(ALEXIS)[-1] == f"{code} texted STOP: the conversation has ended and nothing more can be sent."
    assert alexis.send("hello?") == ["You have no conversation open. LIST shows the waiting requests."]
    other, other_code = request_for_a_person(make_texter, work, "+15555550173")
    alexis.send(f"CLAIM {other_code}")
    assert other.send("DELETE") == ["Done."]
    work()
    assert twilio_api.to(ALEXIS)[-1] == (f"{other_code} asked to DELETE their messages: erased, "
                                         "and the conversation has ended.")


def test_no_intro_and_no_relay_before_they_say_yes(make_texter, work, roster, twilio_api):
    survivor = make_texter(SURVIVOR)
    survivor.send("hello"), survivor.send("purple"), survivor.send("banana")  # unreadable twice: a person reads
    work()
    code = survivor_code(survivor)
    alexis = make_texter(ALEXIS)
    assert alexis.send(f"CLAIM {code}")[0].startswith(f"{code} is yours, but they haven't said we may text first")
    assert alexis.send("hi, I'm here") == [f"Not sent to {code}: they haven't said we may text first. "
                                           "You'll see their next message here."]
    survivor.send("who is this?")
    alexis.send("I'm an advocate. You can talk to me.")
    work()
    assert twilio_api.to(SURVIVOR) == ["I'm an advocate. You can talk to me."]


def test_undelivered_message_to_a_survivor_is_shown_to_the_advocate(make_texter, work, roster, twilio_api, client):
    _, code = request_for_a_person(make_texter, work)
    make_texter(ALEXIS).send(f"CLAIM {code}")
    work()
    [intro] = [m for m in twilio_api.sent if m.to == SURVIVOR]
    assert intro.status_callback.startswith("https://lantern.test/webhooks/status?o=")
    # Posted without our ?o= (as a message sent before it was added): found by its Twilio SID.
    response = signed_post(client, "/webhooks/status", {"MessageSid": intro.sid, "MessageStatus": "undelivered",
                                                         "ErrorCode": "30008"})
    assert response.status_code == 204
    work()
    assert twilio_api.to(ALEXIS)[-1].startswith(f"Not delivered to {code} (Twilio error 30008)")


def test_status_callback_is_signed(client):
    assert client.post("/webhooks/status", data={"MessageSid": "SM1", "MessageStatus": "sent"}).status_code == 403


def test_jobs_hold_ids_never_numbers_or_words(make_texter, work, roster, raw_redis):
    survivor, code = request_for_a_person(make_texter, work)
    make_texter(ALEXIS).send(f"CLAIM {code}")
    survivor.send("Orchard Lane is where I stay")
    make_texter(ALEXIS).send("Stay where you are, Juniper")
    jobs = [key for key in raw_redis.scan_iter("rq:job:*")]
    assert jobs
    for key in jobs:
        data = raw_redis.hget(key, "data")
        blob = zlib.decompress(data) if data else b""
        for secret in (b"5555550160", b"2135550101", b"Orchard", b"Juniper"):
            assert secret not in blob
