"""What an advocate sees in the console of delivery: each message's state (ranked, never going back) and a
WhatsApp conversation's 24-hour window, open until when or closed, with what is held."""
from __future__ import annotations

import time

import time_machine

from tests.conftest import ALEXIS, signed_post
from tests.console.conftest import post, sign_in
from tests.console.test_conversation import claimed, page_of

WHATSAPP = "whatsapp:+15555550171"


def status(client, sid: str, state: str, error: str = "") -> None:
    form = {"MessageSid": sid, "MessageStatus": state, **({"ErrorCode": error} if error else {})}
    assert signed_post(client, "/webhooks/status", form).status_code == 204


def reply(client, code: str, text: str):
    return post(client, f"/console/c/{code}/reply", {"text": text}, f"/console/c/{code}")


def delivery_of(client, code: str) -> str:
    [entry] = [e for e in client.get(f"/console/c/{code}/updates.json?after=0").get_json()["entries"]
               if e["by"] == "advocate"]
    return entry["delivery"]


def test_statuses_arriving_out_of_order_never_go_back(signed_in, make_texter, work, twilio_api, app):
    survivor, code, console = claimed(signed_in, make_texter, work, number=WHATSAPP)
    reply(console, code, "Are you safe?")
    work()
    assert delivery_of(console, code) == "sending"
    sid = [m for m in twilio_api.sent if m.body == "Are you safe?"][0].sid
    webhook = app.test_client()
    status(webhook, sid, "delivered")
    status(webhook, sid, "sent")  # late: changes nothing
    assert delivery_of(console, code) == "delivered"
    status(webhook, sid, "read")
    status(webhook, sid, "delivered")
    status(webhook, sid, "sending")
    assert delivery_of(console, code) == "read"
    assert '<span class="delivery">read</span>' in page_of(console, code)


def test_a_failure_shows_its_meaning(signed_in, make_texter, work, twilio_api, app):
    survivor, code, console = claimed(signed_in, make_texter, work)
    reply(console, code, "Are you safe?")
    work()
    sid = [m for m in twilio_api.sent if m.body == "Are you safe?"][0].sid
    status(app.test_client(), sid, "undelivered", "30006")
    work()
    assert delivery_of(console, code) == "not delivered: that number is a landline"


def test_the_window_is_shown_and_a_reply_outside_it_is_said_to_be_held(signed_in, make_texter, work, twilio_api,
                                                                        app):
    with time_machine.travel(time.time(), tick=True) as clock:
        survivor, code, console = claimed(signed_in, make_texter, work, number=WHATSAPP)
        assert 'data-window="open">open until' in page_of(console, code)
        clock.shift(24 * 3600 + 60)
        console = app.test_client()  # a day later: yesterday's session has ended
        assert sign_in(console, "Alexis Rivera").status_code == 302
        assert 'data-window="closed">closed since' in page_of(console, code)
        answer = reply(console, code, "Checking in")
        work()
        page = console.get(answer.headers["Location"]).get_data(as_text=True)
        assert "Held, not sent yet: WhatsApp&#39;s 24-hour window" in page
        assert "(1 held)" in page and '<span class="delivery">held: goes when they write</span>' in page
        assert twilio_api.to(ALEXIS)[-1].startswith(f"Held for {code}")  # and by SMS
        survivor.send("hi")
        work()
        page = page_of(console, code)
        assert 'data-window="open">open until' in page and "held)" not in page
        assert twilio_api.to(WHATSAPP)[-1] == "Checking in"


def test_sms_conversations_show_no_window(signed_in, make_texter, work):
    survivor, code, console = claimed(signed_in, make_texter, work)
    assert "WhatsApp window" not in page_of(console, code)


def test_a_business_scoped_id_is_masked_and_never_shown(signed_in, make_texter, work, twilio_api):
    user_id = "US.13491208655302741934"
    survivor, code, console = claimed(signed_in, make_texter, work, number="whatsapp:" + user_id)
    page = page_of(console, code)
    assert "WhatsApp user ••34" in page and user_id not in page and "13491208655302741934" not in page
    assert twilio_api.to("whatsapp:" + user_id) == ["Hi, this is Alexis, an advocate. I'm here with you now."]
