"""X-Twilio-Signature is checked on every webhook; tests sign, validation is never switched off."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import Flask

from config.settings import load_settings
from tests.conftest import AUTH_TOKEN, PUBLIC_BASE_URL, environ_for, new_sid, signed_post
from tests.twilio_signing import twilio_signature
from webhooks.dependencies import install
from webhooks.signature import twilio_signed

# Twilio's published example (security docs): token, URL, POST params and the signature they give.
EXAMPLE_TOKEN = "12345"
EXAMPLE_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
EXAMPLE_PARAMS = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234",
                  "From": "+14158675309", "To": "+18005551212"}
EXAMPLE_SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_our_test_signer_matches_twilios_published_example():
    assert twilio_signature(EXAMPLE_TOKEN, EXAMPLE_URL, EXAMPLE_PARAMS) == EXAMPLE_SIGNATURE


@pytest.mark.parametrize("signature, status", [(EXAMPLE_SIGNATURE, 200), ("RSOYDt4T1cUTdK1PDd93/VVr8B8X", 403), ("", 403)])
def test_published_example_through_our_validation_code(redis_url, signature, status):
    settings = load_settings(environ_for(None, TWILIO_AUTH_TOKEN=EXAMPLE_TOKEN,
                                          PUBLIC_BASE_URL="https://mycompany.com"), dotenv=False)
    app = Flask(__name__)
    install(app, SimpleNamespace(settings=settings))  # the decorator reads the settings only
    app.add_url_rule("/myapp.php", "example", twilio_signed(lambda: "accepted"), methods=["POST"])
    response = app.test_client().post("/myapp.php?foo=1&bar=2", data=EXAMPLE_PARAMS,
                                      headers={"X-Twilio-Signature": signature})
    assert response.status_code == status


def params() -> dict[str, str]:
    return {"MessageSid": new_sid(), "From": "+15555550120", "Body": "hello"}


def test_missing_signature_is_403(client):
    response = client.post("/webhooks/sms", data=params())
    assert response.status_code == 403


def test_signature_with_the_wrong_token_is_403(client):
    assert signed_post(client, "/webhooks/sms", params(), token="not-the-token").status_code == 403


def test_signature_over_other_params_is_403(client):
    signed = params()
    signature = twilio_signature("test-auth-token-not-real", PUBLIC_BASE_URL + "/webhooks/sms", signed)
    tampered = dict(signed, Body="something else")
    response = client.post("/webhooks/sms", data=tampered, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403


def test_query_string_is_part_of_the_signed_url(client):
    assert signed_post(client, "/webhooks/sms", params(), query="channel=sms").status_code == 200


def test_fallback_is_signed_too(client):
    assert client.post("/webhooks/fallback", data=params()).status_code == 403
    assert signed_post(client, "/webhooks/fallback", params()).status_code == 200


SIGNED_AS = ["https://lantern.test/webhooks/sms", "https://lantern.test:443/webhooks/sms",
             "https://lantern.test:8443/webhooks/sms", "http://127.0.0.1:8000/webhooks/sms?x=1",
             "http://127.0.0.1/webhooks/sms", "https://other.test/webhooks/sms"]


@pytest.mark.parametrize("signed_as", SIGNED_AS)
@pytest.mark.parametrize("checked_as", SIGNED_AS[:5])
@pytest.mark.parametrize("algorithm", ["HMAC_SHA1", "HMAC_SHA256", "HMAC_MD5"])
def test_one_hmac_check_accepts_exactly_what_twilios_validator_accepts(signed_as, checked_as, algorithm):
    """The webhook checks with one HMAC, not the validator's two: it must be neither laxer nor stricter."""
    from twilio.request_validator import RequestValidator

    from webhooks.signature import signature_matches

    form = {"MessageSid": "SM" + "1" * 32, "From": "+15555550120", "Body": "hola"}
    validator = RequestValidator(AUTH_TOKEN)
    signing = "HMAC_SHA1" if algorithm == "HMAC_MD5" else algorithm
    signature = validator.compute_signature(signed_as, form, signing)
    assert signature_matches(AUTH_TOKEN, checked_as, form, signature, algorithm) == \
        validator.validate(checked_as, form, signature, algorithm=algorithm)


FORMS = ["", "a=1", "a=1&a=2&b=", "a&b=&=c&&", "Body=he+hits+me%21&From=%2B15555550120",
         "Body=%C3%A9l+me+pega&x=%E2%98", "Body=caf%e9", "Body=100%25+%2B+more", "Body=a%2", "na+me%3D=v%26w",
         "Body=" + "%F0%9F%98%A2" * 3, "k=v=w"]


@pytest.mark.parametrize("text", FORMS)
def test_the_lane_reads_a_form_as_the_standard_parser_does(text):
    """The lane's own reading of Twilio's POST gives what parse_qsl (Flask's reading) gives, field for field."""
    from urllib.parse import parse_qsl

    from webhooks.sms_lane import form_fields

    expected: dict[str, list[str]] = {}
    for name, value in parse_qsl(text, keep_blank_values=True, errors="replace"):
        expected.setdefault(name, []).append(value)
    assert dict(form_fields(text)) == expected


def test_a_form_of_too_many_fields_is_refused_as_werkzeug_would():
    from webhooks.sms_lane import Refused, form_fields

    assert len(form_fields("&".join(f"f{i}=1" for i in range(1000)))) == 1000
    with pytest.raises(Refused) as refused:
        form_fields("&".join(f"f{i}=1" for i in range(1001)))
    assert refused.value.status.startswith("413")
