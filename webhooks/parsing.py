"""Turn Twilio's form into an Inbound: required fields checked, the body cleaned."""
from __future__ import annotations

import re
import unicodedata

from bot.conversation import Inbound

MAX_BODY = 1600  # Twilio's own limit for one message
_SID = re.compile(r"^[A-Za-z0-9]{2,64}$")
_ADDRESS = re.compile(r"^(?:(?:whatsapp|messenger|web):)?[+0-9A-Za-z_.@-]{3,80}$")


class BadInbound(ValueError):
    """The form can't be a Twilio message; the message says which field is wrong."""


def parse_inbound(form) -> Inbound:
    sid = (form.get("MessageSid") or form.get("SmsMessageSid") or "").strip()
    address = (form.get("From") or "").strip()
    if not sid:
        raise BadInbound("MessageSid is missing.")
    if not _SID.match(sid):
        raise BadInbound("MessageSid is not a Twilio message id.")
    if not address:
        raise BadInbound("From is missing.")
    if not _ADDRESS.match(address):
        raise BadInbound("From is not an address.")
    return Inbound(sid=sid, address=address, body=clean_body(form.get("Body") or ""),
                   num_media=_count(form.get("NumMedia")))


def clean_body(text: str) -> str:
    """Cut to 1600 characters; drop NUL, control and unassigned characters; keep emoji and every script."""
    kept = (ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Cn", "Co"))
    return "".join(kept)[:MAX_BODY].strip()


def _count(raw: str | None) -> int:
    try:
        return max(0, min(int(raw or 0), 10))
    except ValueError:
        return 0
