"""The demo page and its two phones. A phone's text goes to /webhooks/sms signed as Twilio signs it,
so the demo runs the line's real path: signature check, bot, store, the worker's pages and relays."""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from flask import Blueprint, current_app, jsonify, render_template, request
from twilio.request_validator import RequestValidator
from demo.dependencies import demo_dependencies


bp = Blueprint("demo", __name__, url_prefix="/demo", template_folder="templates", static_folder="static")
SURVIVOR_PHONE = "+15555550110"  # invented, like everything on the demo line
DEMO_ACCOUNT_SID = "AC" + "0" * 32
DEMO_HOTLINE = "+15555550199"
MAX_LENGTH = 1600  # as a text



def _advocate():
    """The advocate whose phone the demo shows: the first one on shift (Alexis Demo under `make run`)."""
    return next((a for a in demo_dependencies().roster.all() if a.available), None)


def _phones() -> dict[str, str]:
    advocate = _advocate()
    return {"survivor": SURVIVOR_PHONE, **({"advocate": advocate.phone} if advocate else {})}


@bp.get("")
def page():
    advocate = _advocate()
    return render_template("demo/demo.html", advocate=advocate.name if advocate else "")


@bp.get("/phones")
def phones():
    demo_phones = demo_dependencies().demo_phones
    return jsonify({name: demo_phones.screen(number) for name, number in _phones().items()})


@bp.post("/text")
def text():
    data = request.get_json(silent=True) or {}
    number, body = _phones().get(str(data.get("phone"))), str(data.get("body", "")).strip()
    if number is None or not body or len(body) > MAX_LENGTH:
        return jsonify(error="Say which phone (survivor or advocate) and a text of 1 to 1600 characters."), 400
    if not demo_dependencies().settings.twilio_auth_token:
        return jsonify(error="The demo signs its texts with the line's token: start it with make run."), 409
    demo_phones = demo_dependencies().demo_phones
    demo_phones.record(number, "me", body)
    for reply in text_the_hotline(number, body):
        demo_phones.record(number, "line", reply)
    return jsonify(ok=True)


def text_the_hotline(number: str, body: str) -> list[str]:
    """Post the text to /webhooks/sms as Twilio would, signed; return the replies its TwiML carries."""
    settings = demo_dependencies().settings
    params = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": settings.twilio_account_sid or DEMO_ACCOUNT_SID,
              "From": number, "To": settings.twilio_number or DEMO_HOTLINE, "Body": body, "NumMedia": "0"}
    signature = RequestValidator(settings.twilio_auth_token).compute_signature(
        settings.public_base_url + "/webhooks/sms", params)
    response = current_app.test_client().post("/webhooks/sms", data=params,
                                              headers={"X-Twilio-Signature": signature})
    if response.status_code != 200:
        return [f"(the webhook answered {response.status_code})"]
    return [element.text or "" for element in ET.fromstring(response.data).iter("Message")]
