"""Every Twilio error code in messaging/twilio_errors.py, acted on by what it means, from a status callback
(and, where Twilio can answer it there, from the REST call itself)."""
from __future__ import annotations

import pytest

from messaging.twilio_errors import ERRORS
from tests.conftest import ALEXIS, Texter, signed_post
from tests.apps import lantern_of

SURVIVOR = "+15555550163"
WHATSAPP = "whatsapp:+15555550164"


def claimed_with_a_reply(make_texter, work, twilio_api, number: str = SURVIVOR) -> tuple[Texter, Texter, str, str]:
    """Alexis holds the survivor's request and has just texted them; returns the Twilio SID of that text."""
    survivor, alexis = make_texter(number), make_texter(ALEXIS)
    survivor.send("hello"), survivor.send("2")
    work()
    lantern = lantern_of(survivor.client.application)
    code = lantern.stores.store.get(lantern.stores.store.conversation_key(number)).case_code
    alexis.send(f"CLAIM {code}")
    alexis.send("Are you safe?")
    work()
    return survivor, alexis, code, last_sid(twilio_api, number)


def last_sid(twilio_api, number: str) -> str:
    return [m for m in twilio_api.sent if m.to == number][-1].sid


def callback(client, sid: str, error: int, state: str = "undelivered"):
    form = {"MessageSid": sid, "MessageStatus": state, "ErrorCode": str(error)}
    assert signed_post(client, "/webhooks/status", form).status_code == 204


def test_every_code_in_the_table_has_a_test_here():
    tested = {21610, 30003, 30005, 30006, 30007, 63016, 63018, 20429}
    assert set(ERRORS) == tested


@pytest.mark.parametrize("rest", [False, True], ids=["status callback", "REST call"])
def test_21610_stops_records_the_opt_out_and_tells_the_advocate(make_texter, work, roster, twilio_api, client,
                                                                lantern, rest):
    survivor, alexis = make_texter(SURVIVOR), make_texter(ALEXIS)
    survivor.send("hello"), survivor.send("2")
    work()
    code = lantern.stores.store.get(lantern.stores.store.conversation_key(SURVIVOR)).case_code
    alexis.send(f"CLAIM {code}")
    if rest:
        twilio_api.fail_next(400, 21610)  # the intro is refused at once
        work()
    else:
        work()
        callback(client, last_sid(twilio_api, SURVIVOR), 21610, "failed")
        work()
    assert twilio_api.to(ALEXIS)[-1] == f"{code} texted STOP: the conversation has ended and nothing more can be sent."
    assert lantern.stores.store.is_opted_out(lantern.stores.store.conversation_key(SURVIVOR))
    assert survivor.send("hello?") == []  # kept: silence until START
    alexis.send("Are you there?")
    work()
    assert "Are you there?" not in twilio_api.to(SURVIVOR)


@pytest.mark.parametrize("error, told", [
    (30003, "their phone could not be reached (off, or no signal), even after several tries"),
    (63018, "too many messages at once, even after several tries"),
])
def test_temporary_failures_are_sent_again_with_back_off_then_reported(make_texter, work, roster, twilio_api,
                                                                       client, error, told):
    survivor, alexis, code, sid = claimed_with_a_reply(make_texter, work, twilio_api)
    retries = 3  # the test config's send_retry_seconds: [0, 0, 0]
    for attempt in range(retries):
        callback(client, sid, error)
        work(with_scheduler=True)
        resent = last_sid(twilio_api, SURVIVOR)
        assert resent != sid and twilio_api.to(SURVIVOR)[-1] == "Are you safe?"  # the same words, a new message
        sid = resent
    assert not any("Not delivered" in m for m in twilio_api.to(ALEXIS))
    callback(client, sid, error)
    work(with_scheduler=True)
    assert twilio_api.to(SURVIVOR).count("Are you safe?") == retries + 1
    assert twilio_api.to(ALEXIS)[-1] == f"Not delivered to {code}: {told}. " + (
        "Try again later." if error == 30003 else "Try again in a few minutes.")


def test_a_temporary_failure_that_then_passes_tells_nobody(make_texter, work, roster, twilio_api, client):
    survivor, alexis, code, sid = claimed_with_a_reply(make_texter, work, twilio_api)
    callback(client, sid, 30003)
    work()
    callback(client, last_sid(twilio_api, SURVIVOR), 0, "delivered")
    work()
    assert twilio_api.to(SURVIVOR).count("Are you safe?") == 2
    assert not any("Not delivered" in m for m in twilio_api.to(ALEXIS))


@pytest.mark.parametrize("error, told", [
    (30005, "that number does not exist or is out of service. Texts can't reach it."),
    (30006, "that number is a landline, so it can't get texts."),
    (30007, "their phone company filtered it as spam. Try other words: no links, prices or capitals."),
])
def test_permanent_and_filtered_failures_are_told_plainly_and_not_retried(make_texter, work, roster, twilio_api,
                                                                          client, error, told):
    survivor, alexis, code, sid = claimed_with_a_reply(make_texter, work, twilio_api)
    callback(client, sid, error)
    work(with_scheduler=True)
    assert twilio_api.to(SURVIVOR).count("Are you safe?") == 1
    assert twilio_api.to(ALEXIS)[-1] == f"Not delivered to {code}: {told}"


def test_63016_holds_for_the_window_instead_of_failing(make_texter, work, roster, twilio_api, client):
    survivor, alexis, code, sid = claimed_with_a_reply(make_texter, work, twilio_api, WHATSAPP)
    callback(client, sid, 63016, "failed")
    work()
    assert not any("Not delivered" in m for m in twilio_api.to(ALEXIS))
    assert twilio_api.to(ALEXIS)[-1].startswith(f"Held for {code}: WhatsApp's 24-hour window closed")
    survivor.send("hi")
    work()
    assert twilio_api.to(WHATSAPP).count("Are you safe?") == 2


def test_20429_from_the_rest_call_is_retried(make_texter, work, roster, twilio_api):
    survivor, alexis = make_texter(SURVIVOR), make_texter(ALEXIS)
    survivor.send("hello"), survivor.send("2")
    work()
    lantern = lantern_of(survivor.client.application)
    code = lantern.stores.store.get(lantern.stores.store.conversation_key(SURVIVOR)).case_code
    alexis.send(f"CLAIM {code}")
    twilio_api.fail_next(429, 20429, times=2)
    work(with_scheduler=True)
    assert twilio_api.to(SURVIVOR) == ["Hi, this is Alexis, an advocate. I'm here with you now."]


def test_an_unknown_code_is_a_failure_that_names_it(make_texter, work, roster, twilio_api, client):
    survivor, alexis, code, sid = claimed_with_a_reply(make_texter, work, twilio_api)
    callback(client, sid, 30044)
    work()
    assert twilio_api.to(ALEXIS)[-1].startswith(f"Not delivered to {code} (Twilio error 30044)")
