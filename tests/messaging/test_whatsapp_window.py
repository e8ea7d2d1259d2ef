"""WhatsApp's 24-hour window end to end: signed webhooks, real Redis, a real RQ worker, Twilio stood in.

Time passes on a test clock (time_machine); Twilio's word that the window closed comes as a signed
status callback with error 63016.
"""
from __future__ import annotations

import time

import pytest
import time_machine

from config.settings import load_settings
from tests.conftest import ALEXIS, HOTLINE_NUMBER, Texter, environ_for, signed_post, write_test_config
from tests.apps import lantern_of

SURVIVOR = "whatsapp:+15555550161"
TEMPLATE = "HX" + "ab" * 16
DAY = 24 * 3600


@pytest.fixture
def template_sid():
    return TEMPLATE


@pytest.fixture
def settings(redis_url, twilio_api, tmp_path, template_sid):
    config = write_test_config(tmp_path / "config")
    org = (config / "org.yaml").read_text(encoding="utf-8")
    (config / "org.yaml").write_text(org.replace('reopen_template_sid: ""', f'reopen_template_sid: "{template_sid}"'),
                                     encoding="utf-8")
    return load_settings(environ_for(redis_url, TWILIO_API_BASE=twilio_api.url, LANTERN_CONFIG_DIR=str(config)),
                         dotenv=False)


@pytest.fixture
def clock():
    traveller = time_machine.travel(time.time(), tick=True)
    coordinates = traveller.start()
    yield coordinates
    traveller.stop()


def claimed(make_texter, work, twilio_api) -> tuple[Texter, Texter, str]:
    """A WhatsApp survivor in danger (so they said yes to being texted), claimed by Alexis."""
    survivor, alexis = make_texter(SURVIVOR), make_texter(ALEXIS)
    survivor.send("hello")
    survivor.send("2")
    work()
    lantern = lantern_of(survivor.client.application)
    code = lantern.stores.store.get(lantern.stores.store.conversation_key(SURVIVOR)).case_code
    alexis.send(f"CLAIM {code}")
    work()
    [intro] = twilio_api.to(SURVIVOR)
    assert intro.startswith("Hi, this is Alexis")
    return survivor, alexis, code


def status(client, sid: str, state: str, error: str = "", callback_url: str = ""):
    """Twilio's status callback, posted to the URL the message asked for (with our ?o=<id>) when given."""
    form = {"MessageSid": sid, "MessageStatus": state, "AccountSid": "AC" + "0" * 32}
    if error:
        form["ErrorCode"] = error
    query = callback_url.partition("?")[2]
    assert signed_post(client, "/webhooks/status", form, query=query).status_code == 204


def test_replies_come_from_the_whatsapp_sender(make_texter, work, roster, twilio_api):
    claimed(make_texter, work, twilio_api)
    [intro] = [m for m in twilio_api.sent if m.to == SURVIVOR]
    assert intro.from_ == "whatsapp:" + HOTLINE_NUMBER


def test_after_24_hours_a_message_is_held_the_template_sent_and_it_goes_when_they_write(
        make_texter, work, roster, twilio_api, clock):
    survivor, alexis, code = claimed(make_texter, work, twilio_api)
    clock.shift(DAY + 60)
    assert alexis.send("Are you somewhere safe today?") == []
    work()
    assert twilio_api.to(SURVIVOR)[1:] == [f"[template {TEMPLATE}]"]  # nothing free-form outside the window
    template = [m for m in twilio_api.sent if m.content_sid][0]
    assert template.body == "" and template.from_ == "whatsapp:" + HOTLINE_NUMBER
    assert twilio_api.to(ALEXIS)[-1].startswith(f"Held for {code}: WhatsApp's 24-hour window closed. They were sent")
    survivor.send("yes im ok")
    work()
    assert twilio_api.to(SURVIVOR)[-1] == "Are you somewhere safe today?"
    assert f"{code} wrote: «yes im ok»" in twilio_api.to(ALEXIS)
    assert twilio_api.to(ALEXIS)[-1] == f"{code} wrote again: 1 held message(s) went to them."
    delivered = [m for m in twilio_api.sent if m.body == "Are you somewhere safe today?"][0]
    status(survivor.client, delivered.sid, "read", callback_url=delivered.status_callback)
    work()
    assert twilio_api.to(ALEXIS)[-1] == f"{code} has read your held message."


def test_held_messages_go_in_order_after_one_template(make_texter, work, roster, twilio_api, clock):
    survivor, alexis, code = claimed(make_texter, work, twilio_api)
    clock.shift(DAY + 60)
    for text in ("first", "second", "third"):
        alexis.send(text)
        work()
    assert twilio_api.to(SURVIVOR)[1:] == [f"[template {TEMPLATE}]"]
    assert sum(m.startswith(f"Held for {code}") for m in twilio_api.to(ALEXIS)) == 1  # told once, not thrice
    survivor.send("hi")
    work()
    assert twilio_api.to(SURVIVOR)[2:] == ["first", "second", "third"]
    clock.shift(60)
    alexis.send("fourth")  # the window is open again: straight through
    work()
    assert twilio_api.to(SURVIVOR)[-1] == "fourth"


@pytest.mark.parametrize("template_sid", [""])
def test_without_a_template_nothing_is_sent_outside_the_window_and_the_advocate_is_told(
        make_texter, work, roster, twilio_api, clock):
    survivor, alexis, code = claimed(make_texter, work, twilio_api)
    clock.shift(DAY + 60)
    alexis.send("Checking in")
    work()
    assert len(twilio_api.to(SURVIVOR)) == 1  # the intro only
    assert twilio_api.to(ALEXIS)[-1].startswith(f"Held for {code}: WhatsApp's 24-hour window closed and no reopen")
    survivor.send("here")
    work()
    assert twilio_api.to(SURVIVOR)[-1] == "Checking in"


def test_a_63016_status_callback_holds_the_message_and_reopens(make_texter, work, roster, twilio_api, client):
    survivor, alexis, code = claimed(make_texter, work, twilio_api)
    alexis.send("Are you safe?")
    work()
    sent = [m for m in twilio_api.sent if m.body == "Are you safe?"][0]
    assert sent.status_callback.startswith("https://lantern.test/webhooks/status?o=")
    status(client, sent.sid, "sent", callback_url=sent.status_callback)
    status(client, sent.sid, "failed", "63016", callback_url=sent.status_callback)
    work()
    assert twilio_api.to(SURVIVOR)[-1] == f"[template {TEMPLATE}]"
    assert twilio_api.to(ALEXIS)[-1].startswith(f"Held for {code}")
    alexis.send("Text when you can")  # Twilio said closed: this one is held too, without trying
    work()
    assert twilio_api.to(SURVIVOR).count("Text when you can") == 0
    survivor.send("ok")
    work()
    assert twilio_api.to(SURVIVOR)[-2:] == ["Are you safe?", "Text when you can"]
    resent = [m for m in twilio_api.sent if m.body == "Are you safe?"][-1]
    assert resent.sid != sent.sid
    status(client, sent.sid, "failed", "63016")  # the old message's callback again: nothing more happens
    work()
    assert twilio_api.to(SURVIVOR)[-1] == "Text when you can" and twilio_api.to(SURVIVOR).count(f"[template {TEMPLATE}]") == 1


def test_no_template_goes_to_someone_who_took_back_their_yes(make_texter, work, roster, twilio_api, client):
    survivor, alexis, code = claimed(make_texter, work, twilio_api)
    alexis.send("Are you safe?")
    work()
    survivor.send("cant talk hes watching")  # quiet, and no more texting first
    work()
    sent = [m for m in twilio_api.sent if m.body == "Are you safe?"][0]
    status(client, sent.sid, "undelivered", "63016")
    work()
    assert all(not m.content_sid for m in twilio_api.sent)
    assert twilio_api.to(ALEXIS)[-1].startswith(f"Held for {code}: WhatsApp's 24-hour window closed. Nothing was sent")


@pytest.mark.parametrize("their_word, advocate_hears", [
    ("STOP", "texted STOP"),
    ("QUIET", "asked for quiet"),
])
def test_held_messages_still_pass_the_safety_check_when_they_write(make_texter, work, roster, twilio_api, clock,
                                                                   their_word, advocate_hears):
    survivor, alexis, code = claimed(make_texter, work, twilio_api)
    clock.shift(DAY + 60)
    alexis.send("Can you talk?")
    work()
    survivor.send(their_word)
    work()
    assert "Can you talk?" not in twilio_api.to(SURVIVOR)
    assert any(advocate_hears in m for m in twilio_api.to(ALEXIS))


def test_a_closing_line_is_not_kept_for_after_they_write(make_texter, work, roster, twilio_api, clock):
    survivor, alexis, code = claimed(make_texter, work, twilio_api)
    clock.shift(DAY + 60)
    alexis.send(f"CLOSE {code}")
    work()
    survivor.send("hello again")
    work()
    # Their new text starts fresh at the safety check; yesterday's goodbye never follows it.
    assert len(twilio_api.to(SURVIVOR)) == 1 and all(not m.content_sid for m in twilio_api.sent)


def test_sms_has_no_window(make_texter, work, roster, twilio_api, clock):
    survivor, alexis = make_texter("+15555550162"), make_texter(ALEXIS)
    survivor.send("hello"), survivor.send("2")
    work()
    lantern = lantern_of(survivor.client.application)
    code = lantern.stores.store.get(lantern.stores.store.conversation_key(survivor.number)).case_code
    alexis.send(f"CLAIM {code}")
    clock.shift(3 * DAY)
    alexis.send("Still there?")
    work()
    assert twilio_api.to(survivor.number)[-1] == "Still there?"
