"""Every Redis key Lantern uses: one prefix, one place.

All keys of one conversation carry its hash tag (`lantern:{<conv>}:…`) so that a conversation's
one-transaction writes stay in one slot when the organisation moves to a Redis Cluster.
"""
from __future__ import annotations

PREFIX = "lantern:"
HANDOFF_QUEUE = PREFIX + "handoff"
AUDIT_STREAM = PREFIX + "audit"
OUTREACHES = PREFIX + "outreaches"  # sorted set: outreach id by the day it was held
# version: counts the conversation's writes (a write checks the version it read);
# inbox and visit: a web chat's messages for its browser tab, and when that tab was last seen;
# word: their safety word, encrypted (store/safety_word.py);
# held, whatsapp: WhatsApp messages held while its 24-hour window is closed (outbound ids, in order), and
# the window's own facts (when Twilio said it closed, which closure got its reopen template);
# delivery: Twilio's ranked delivery status of each message sent in the conversation, by Twilio SID.
CONVERSATION_PARTS = ("state", "log", "version", "optout", "inbox", "visit", "word", "held", "whatsapp", "delivery")


def key_for(conversation: str, part: str) -> str:
    """The key of one part of a conversation: state, log, version, optout, inbox, visit, word, held, whatsapp,
    delivery."""
    if part not in CONVERSATION_PARTS:
        raise ValueError(f"unknown conversation part {part!r}")
    return f"{PREFIX}{{{conversation}}}:{part}"


def message_sid_key(conversation: str, sid: str) -> str:
    """The claim on one inbound MessageSid, holding the reply that was given to it."""
    return f"{PREFIX}{{{conversation}}}:sid:{sid}"


def case_code_key(code: str) -> str:
    """Case code (K7Q2) → conversation."""
    return f"{PREFIX}case:{code}"


def holds_key(advocate: str) -> str:
    """The conversations one advocate holds."""
    return f"{PREFIX}holds:{advocate}"


def session_key(session_hash: str) -> str:
    """One signed-in console session, named by a hash of its cookie (the cookie itself is never stored)."""
    return f"{PREFIX}session:{session_hash}"


def shelters_tonight_key(night: str) -> str:
    """Tonight's beds and rooms, one hash per night (the date the night starts, in the line's time zone)."""
    return f"{PREFIX}shelters:{night}"


def rate_key(scope: str, name: str, window: int) -> str:
    """A web chat rate counter: `name` is a keyed hash (of a conversation or an address), never the thing."""
    return f"{PREFIX}rate:{scope}:{name}:{window}"


def demo_phone_key(phone_hash: str) -> str:
    """What one of /demo's two phones shows, named by the keyed hash of its (invented) number."""
    return f"{PREFIX}demo:phone:{phone_hash}"


def outreach_key(outreach: str) -> str:
    """One outreach night: name, date, area, its cards and how many were handed out."""
    return f"{PREFIX}outreach:{outreach}"


def card_key(code: str) -> str:
    """A card code (LUMA7) → its outreach and advocate, expiring when the card stops working."""
    return f"{PREFIX}card:{code}"


def report_day_key(day: str) -> str:
    """One day's report counters (a hash of name → count), in the line's time zone. Never expires."""
    return f"{PREFIX}report:{day}"


def report_durations_key(day: str, group: str) -> str:
    """One day's times to a first human reply, in seconds, for one priority and shift (URGENT:staffed)."""
    return f"{PREFIX}report:{day}:reply:{group}"


def report_once_key(event: str) -> str:
    """Marks an event counted (a request's first claim), so a retry or a second claim is not counted twice."""
    return f"{PREFIX}report:once:{event}"
