"""Calls to the hotline number, through the signed /webhooks/voice: 911, a masked forward, nothing recorded."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import time_machine

from config.settings import load_settings
from tests.apps import lantern_of
from tests.conftest import (
    ALEXIS, CONFIG_DIR, HOTLINE_NUMBER, MORGAN, PUBLIC_BASE_URL, RILEY, SAM, environ_for, signed_post,
    write_test_config,
)

CALLER = "+15555550150"
VOICE = PUBLIC_BASE_URL + "/webhooks/voice"


def call(client, path: str = "/webhooks/voice", **extra: str):
    params = {"CallSid": "CA" + "1" * 32, "From": CALLER, "To": HOTLINE_NUMBER, "AccountSid": "AC" + "0" * 32,
              "CallStatus": "ringing", "Direction": "inbound", **extra}
    response = signed_post(client, path, params)
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/xml"
    return ET.fromstring(response.data)


def says(root) -> list[tuple[str, str]]:
    return [(e.get("language"), e.text or "") for e in root.iter("Say")]


def assert_nothing_recorded(root) -> None:
    tags = {e.tag for e in root.iter()}
    assert not tags & {"Record", "Transcribe", "Stream", "Start", "Conference"}
    for element in root.iter():
        assert element.get("record") in (None, "do-not-record")
        assert element.get("transcribe") is None


def assert_safety_lines(root) -> None:
    (en_lang, en), (es_lang, es) = says(root)[:2]
    assert (en_lang, es_lang) == ("en-US", "es-US")
    assert "call 911" in en and "text this number at any time" in en
    assert "llama al 911" in es and "mensaje de texto a este número" in es


def waiting(lantern):
    return lantern.stores.store.waiting_requests()


def test_a_call_while_staffed_hears_911_then_rings_the_advocates_with_the_hotline_as_caller_id(
        client, roster, lantern):
    root = call(client)
    assert root.tag == "Response"
    assert_safety_lines(root)
    dial = root.find("Dial")
    assert dial.get("callerId") == HOTLINE_NUMBER and dial.get("timeout") == "30"
    assert dial.get("action") == VOICE + "/done"
    rung = [(n.text, n.get("url")) for n in dial.iter("Number")]
    assert sorted(rung) == [(ALEXIS, VOICE + "/whisper"), (SAM, VOICE + "/whisper")]  # on shift, not on call
    assert_nothing_recorded(root)
    assert waiting(lantern) == []  # not missed (yet)


def test_the_advocate_hears_a_whisper_and_must_press_1(client, roster):
    root = call(client, "/webhooks/voice/whisper", To=ALEXIS)
    gather = root.find("Gather")
    assert gather.get("numDigits") == "1" and gather.get("action") == VOICE + "/whisper/answer"
    assert [e.text for e in gather.iter("Say")] == ["Lantern call. Press 1 to take it."]
    assert root.find("Hangup") is not None  # no key pressed (a voicemail box): this leg ends
    assert list(call(client, "/webhooks/voice/whisper/answer", Digits="1")) == []  # put through
    assert call(client, "/webhooks/voice/whisper/answer", Digits="7").find("Hangup") is not None


def test_nobody_takes_it_the_caller_hears_the_text_line_and_it_is_queued_never_texted(
        client, roster, lantern, work, twilio_api):
    call(client)
    root = call(client, "/webhooks/voice/done", DialCallStatus="no-answer", CallStatus="in-progress")
    lines = [text for _, text in says(root)]
    assert "text this number" in lines[0] and "911" in lines[0] and "mensaje de texto" in lines[1]
    assert root.find("Hangup") is not None and root.find("Dial") is None
    assert_nothing_recorded(root)
    [conv] = waiting(lantern)
    assert conv.priority.value == "NORMAL" and conv.missed_call_at and not conv.contact_ok
    work()
    code = conv.case_code
    page = f"Lantern: NORMAL request {code} (en, area not given) (missed call, do not text first). Reply CLAIM {code}"
    assert twilio_api.to(ALEXIS) == [page] and twilio_api.to(SAM) == [page]
    assert twilio_api.to(CALLER) == []  # never texted first
    claimed = client.application.test_client()
    from tests.conftest import Texter
    reply = Texter(claimed, ALEXIS).send(f"CLAIM {code}")
    assert reply[0].startswith(f"{code} is yours, but they haven't said we may text first")
    Texter(claimed, ALEXIS).send("Hi, you called us?")
    work()
    assert twilio_api.to(CALLER) == []
    for message in twilio_api.sent:
        assert "5555550150" not in message.body


def test_a_second_missed_call_does_not_queue_twice(client, roster, lantern):
    for _ in range(2):
        call(client, "/webhooks/voice/done", DialCallStatus="busy")
    assert len(waiting(lantern)) == 1


def test_a_taken_call_ends_when_it_ends_and_queues_nothing(client, roster, lantern):
    root = call(client, "/webhooks/voice/done", DialCallStatus="completed")
    assert says(root) == [] and root.find("Hangup") is not None
    assert waiting(lantern) == []


def test_nobody_on_to_ring_the_caller_hears_the_lines_and_it_is_a_missed_call(client, lantern):
    lantern.stores.roster.add("Alexis Rivera", ALEXIS)  # on the roster, not on shift
    root = call(client)
    assert root.find("Dial") is None and root.find("Hangup") is not None
    assert_safety_lines(root)
    assert "text this number" in says(root)[2][1]
    assert len(waiting(lantern)) == 1


def test_a_withheld_number_hears_the_same_and_nothing_is_queued(client, lantern):
    root = call(client, "/webhooks/voice", From="anonymous")
    assert_safety_lines(root)
    assert waiting(lantern) == []


@pytest.mark.parametrize("path", ["/webhooks/voice", "/webhooks/voice/whisper", "/webhooks/voice/whisper/answer",
                                  "/webhooks/voice/done", "/webhooks/voice/fallback"])
def test_a_bad_signature_is_refused_with_403(client, roster, lantern, path):
    params = {"CallSid": "CA" + "2" * 32, "From": CALLER, "To": HOTLINE_NUMBER, "DialCallStatus": "no-answer"}
    assert signed_post(client, path, params, token="not-the-token").status_code == 403
    assert client.post(path, data=params).status_code == 403
    assert waiting(lantern) == []


def test_the_voice_fallback_needs_nothing_but_config(client):
    root = call(client, "/webhooks/voice/fallback")
    assert_safety_lines(root)
    assert root.find("Hangup") is not None


SATURDAY_NIGHT = "2026-03-14 23:00:00-07:00"  # outside the shipped hours.yaml's staffed hours


@pytest.fixture
def night(redis_url, twilio_api, tmp_path):
    """An app with the shipped hours (so a Saturday night is after hours): Alexis on shift, Riley on call."""
    import redis as redis_lib

    from tests.apps import create_app, lantern_of

    config = write_test_config(tmp_path / "config")
    (config / "hours.yaml").write_text((CONFIG_DIR / "hours.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    settings = load_settings(environ_for(redis_url, TWILIO_API_BASE=twilio_api.url, LANTERN_CONFIG_DIR=str(config)),
                             dotenv=False)
    if settings.redis_url:
        redis_lib.Redis.from_url(settings.redis_url).flushdb()
    app = create_app(settings)
    lantern = lantern_of(app)
    lantern.stores.roster.add("Alexis Rivera", ALEXIS, available=True)
    lantern.stores.roster.add("Riley Chen", RILEY, on_call=True)
    yield app
    lantern.stores.redis.flushdb()


def test_after_hours_the_on_call_advocate_is_rung(night, twilio_api):
    from rq import SimpleWorker
    from rq.serializers import JSONSerializer

    client, lantern = night.test_client(), lantern_of(night)
    with time_machine.travel(SATURDAY_NIGHT, tick=True):
        root = call(client)
        assert [n.text for n in root.find("Dial").iter("Number")] == [RILEY]
        call(client, "/webhooks/voice/done", DialCallStatus="no-answer")
        SimpleWorker([lantern.messenger.urgent_queue, lantern.queue], connection=lantern.stores.redis,
                     serializer=JSONSerializer, job_class=lantern.job_class).work(burst=True)
    [conv] = waiting(lantern)
    assert conv.after_hours and conv.missed_call_at
    assert twilio_api.to(CALLER) == [] and twilio_api.to(MORGAN) == []  # a NORMAL request waits for the shift
