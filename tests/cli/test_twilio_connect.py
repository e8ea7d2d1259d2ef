"""`flask --app app twilio connect [--check]` against the REST stand-in: the number, or its Messaging Service."""
from __future__ import annotations

import pytest

from tests.apps import create_app
from config.settings import load_settings
from tests.conftest import HOTLINE_NUMBER, environ_for

BASE = "https://lantern.test"


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["twilio", "connect", *args])


def app_with(redis_url, twilio_api, **environ):
    return create_app(load_settings(environ_for(redis_url, TWILIO_API_BASE=twilio_api.url, **environ), dotenv=False))


def test_connect_sets_the_numbers_webhooks_and_prints_what_changed(app, twilio_api):
    sid = twilio_api.add_number(HOTLINE_NUMBER, sms_url="https://old.example/sms", sms_method="GET",
                                sms_application_sid="AP" + "1" * 32)
    result = run(app)
    assert result.exit_code == 0, result.output
    number = twilio_api.numbers[sid]
    assert (number["sms_url"], number["sms_method"]) == (BASE + "/webhooks/sms", "POST")
    assert (number["sms_fallback_url"], number["sms_fallback_method"]) == (BASE + "/webhooks/fallback", "POST")
    assert (number["status_callback"], number["status_callback_method"]) == (BASE + "/webhooks/status", "POST")
    assert number["sms_application_sid"] == ""  # a TwiML App would override every URL
    assert (number["voice_url"], number["voice_method"]) == (BASE + "/webhooks/voice", "POST")  # calls too
    assert (number["voice_fallback_url"], number["voice_fallback_method"]) == (BASE + "/webhooks/voice/fallback", "POST")
    assert f"changed A message comes in (sms_url): https://old.example/sms -> {BASE}/webhooks/sms" in result.output
    assert f"changed A call comes in (voice_url): (not set) -> {BASE}/webhooks/voice" in result.output
    assert "Changed 11 setting(s)." in result.output and "HELP" in result.output
    again = run(app)
    assert "Nothing to change: already connected." in again.output and len(twilio_api.updates) == 1


def test_check_reports_what_is_wrong_and_changes_nothing(app, twilio_api):
    sid = twilio_api.add_number(HOTLINE_NUMBER, sms_url=BASE + "/webhooks/sms", sms_method="POST")
    result = run(app, "--check")
    assert result.exit_code == 1
    assert f"ok    A message comes in (sms_url): {BASE}/webhooks/sms" in result.output
    assert f"WRONG Primary handler fails (sms_fallback_url): (not set); should be {BASE}/webhooks/fallback" \
        in result.output
    assert "8 to fix" in result.output and twilio_api.updates == []
    run(app)
    fixed = run(app, "--check")
    assert fixed.exit_code == 0 and "Everything is connected." in fixed.output
    assert twilio_api.numbers[sid]["sms_fallback_url"] == BASE + "/webhooks/fallback"


def test_a_messaging_service_is_connected_instead_when_its_sid_is_set(redis_url, twilio_api):
    service = twilio_api.add_service([HOTLINE_NUMBER], use_inbound_webhook_on_number=True)
    number = twilio_api.add_number(HOTLINE_NUMBER)
    app = app_with(redis_url, twilio_api, TWILIO_MESSAGING_SERVICE_SID=service)
    result = run(app)
    assert result.exit_code == 0, result.output
    fields = twilio_api.services[service]
    assert fields["inbound_request_url"] == BASE + "/webhooks/sms" and fields["fallback_url"] == BASE + "/webhooks/fallback"
    assert fields["status_callback"] == BASE + "/webhooks/status" and fields["use_inbound_webhook_on_number"] is False
    assert twilio_api.numbers[number]["sms_url"] == ""  # the service routes its messages: left alone
    assert twilio_api.numbers[number]["voice_url"] == BASE + "/webhooks/voice"  # calls go to the number itself
    assert f"Messaging Service {service}" in result.output


def test_check_says_when_the_number_is_not_in_the_service(redis_url, twilio_api):
    service = twilio_api.add_service(["+15555550100"])
    result = run(app_with(redis_url, twilio_api, TWILIO_MESSAGING_SERVICE_SID=service), "--check")
    assert result.exit_code == 1
    assert f"PROBLEM TWILIO_NUMBER {HOTLINE_NUMBER} is not in Messaging Service {service}" in result.output


@pytest.mark.parametrize("environ, message", [
    ({"PUBLIC_BASE_URL": "http://127.0.0.1:5000"}, "Twilio needs the public https address"),
    ({"TWILIO_AUTH_TOKEN": "wrong-token"}, "Twilio refused TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"),
    ({"TWILIO_NUMBER": "+15555550188"}, "TWILIO_NUMBER +15555550188 is not a phone number of this Twilio account"),
    ({"TWILIO_MESSAGING_SERVICE_SID": "MG" + "9" * 32}, "Twilio has no such resource"),
])
def test_what_cannot_work_is_said_plainly_and_nothing_changes(redis_url, twilio_api, environ, message):
    twilio_api.add_number(HOTLINE_NUMBER)
    result = run(app_with(redis_url, twilio_api, **environ))
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert twilio_api.updates == []


def test_a_twiml_app_for_calls_is_taken_off_and_check_reports_the_voice_url(app, twilio_api):
    sid = twilio_api.add_number(HOTLINE_NUMBER, voice_url="https://old.example/voice",
                                voice_application_sid="AP" + "2" * 32)
    checked = run(app, "--check")
    assert f"WRONG A call comes in (voice_url): https://old.example/voice; should be {BASE}/webhooks/voice" \
        in checked.output
    run(app)
    assert twilio_api.numbers[sid]["voice_application_sid"] == ""
    assert run(app, "--check").exit_code == 0
