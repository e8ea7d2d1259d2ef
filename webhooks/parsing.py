"""Turn Twilio's form into an Inbound: required fields checked, the body cleaned."""
from __future__ import annotations

import re

from bot.conversation import Inbound
from bot.message_text import clean_body
from bot.whatsapp import is_business_scoped

_SID = re.compile(r"^[A-Za-z0-9]{2,64}$")
_ADDRESS = re.compile(r"^(?:(?:whatsapp|messenger|web):)?[+0-9A-Za-z_.@-]{3,80}$")
# A quick-reply button's payload that is itself an answer (1, 2, YES, STOP…); any other is read by its text.
_ANSWER_PAYLOAD = re.compile(r"^(?:[0-9]|[A-Za-z]{1,12})$")


class BadInbound(ValueError):
    """The form can't be a Twilio message; the message says which field is wrong."""


def parse_inbound(form) -> Inbound:
    sid = (form.get("MessageSid") or form.get("SmsMessageSid") or "").strip()
    address = sender_address(form)
    if not sid:
        raise BadInbound("MessageSid is missing.")
    if not _SID.match(sid):
        raise BadInbound("MessageSid is not a Twilio message id.")
    if not address:
        raise BadInbound("From is missing.")
    if not _ADDRESS.match(address):
        raise BadInbound("From is not an address.")
    return Inbound(sid=sid, address=address, body=clean_body(answer_text(form)), num_media=_count(form.get("NumMedia")))


def sender_address(form) -> str:
    """From; a WhatsApp user with no number shown may come with only their business-scoped id."""
    address = (form.get("From") or "").strip()
    user_id = (form.get("ExternalUserId") or "").strip()
    if address in ("", "whatsapp:") and is_business_scoped(user_id):
        return "whatsapp:" + user_id
    return address


def answer_text(form) -> str:
    """What they said: a WhatsApp quick-reply button is read by its payload when that is an answer
    ("1", "YES"), else by the words on the button; otherwise the Body."""
    payload = (form.get("ButtonPayload") or "").strip()
    if payload and _ANSWER_PAYLOAD.match(payload):
        return payload
    return (form.get("ButtonText") or "").strip() or form.get("Body") or ""


def _count(raw: str | None) -> int:
    try:
        return max(0, min(int(raw or 0), 10))
    except ValueError:
        return 0
