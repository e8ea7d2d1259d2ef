"""Every Redis key Lantern uses: one prefix, one place.

All keys of one conversation carry its hash tag (`lantern:{<conv>}:…`) so that a conversation's
one-transaction writes stay in one slot when the organisation moves to a Redis Cluster.
"""
from __future__ import annotations

PREFIX = "lantern:"
# The roster (one hash tag, so a change to it is one transaction): advocates, their numbers' keyed hashes,
# their console passwords.
ROSTER = PREFIX + "{roster}:advocates"
ROSTER_PHONES = PREFIX + "{roster}:phones"
ROSTER_PASSWORDS = PREFIX + "{roster}:passwords"
# Console second factors (store/two_factor.py): TOTP secrets (encrypted), the last time step each accepted,
# and each advocate's factor epoch (bumped by set-up, reset and a recovery code: older sessions end).
ROSTER_TOTP = PREFIX + "{roster}:totp"
ROSTER_TOTP_STEPS = PREFIX + "{roster}:totp-steps"
ROSTER_FACTOR_EPOCHS = PREFIX + "{roster}:factor-epochs"
# Outbound messages by id (store/outbox.py), and Twilio's message SID -> our id for status callbacks.
OUTBOX = PREFIX + "out:"
BY_TWILIO_SID = PREFIX + "outsid:"
# The morning summary (store/stats.py): case codes by time of request, and a hash per code.
STATS_REQUESTS = PREFIX + "stats:requests"
STATS_REQUEST = PREFIX + "stats:request:"
# Flask-Limiter's counters (console/limits.py).
LIMITS = PREFIX + "limits"
HANDOFF_QUEUE = PREFIX + "handoff"
AUDIT_STREAM = PREFIX + "audit"
OUTREACHES = PREFIX + "outreaches"  # sorted set: outreach id by the day it was held
MISREADS = PREFIX + "misreads"  # hash: misread id → the advocate's teaching, encrypted (store/misreads.py)
BLOCK_INDEX = PREFIX + "blocks"  # every blocked conversation, by when its block ends (+inf: for good)
# version: counts the conversation's writes (a write checks the version it read);
# inbox and visit: a web chat's messages for its browser tab, and when that tab was last seen;
# word: their safety word, encrypted (store/safety_word.py);
# held, whatsapp: WhatsApp messages held while its 24-hour window is closed (outbound ids, in order), and
# the window's own facts (when Twilio said it closed, which closure got its reopen template);
# delivery: Twilio's ranked delivery status of each message sent in the conversation, by Twilio SID;
# block: a supervisor's block on the number (store/blocks.py), read in the turn's one read;
# misreads: which of its messages advocates marked misread, and what the bot read (store/misreads.py).
CONVERSATION_PARTS = ("state", "log", "version", "optout", "inbox", "visit", "word", "held", "whatsapp", "delivery",
                      "block", "misreads")


def key_for(conversation: str, part: str) -> str:
    """The key of one part of a conversation: state, log, version, optout, inbox, visit, word, held, whatsapp,
    delivery, block, misreads."""
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


def recovery_codes_key(advocate: str) -> str:
    """One advocate's unused recovery codes: a set of Argon2id hashes."""
    return f"{PREFIX}{{roster}}:recovery:{advocate}"


def totp_pending_key(advocate: str) -> str:
    """A TOTP secret offered at set-up and not yet confirmed (encrypted, expiring)."""
    return f"{PREFIX}{{roster}}:totp-pending:{advocate}"


def session_key(session_hash: str) -> str:
    """One signed-in console session, named by a hash of its cookie (the cookie itself is never stored)."""
    return f"{PREFIX}session:{session_hash}"


def shelters_tonight_key(night: str) -> str:
    """Tonight's beds and rooms, one hash per night (the date the night starts, in the line's time zone)."""
    return f"{PREFIX}shelters:{night}"


def rate_key(scope: str, name: str, window: int) -> str:
    """A web chat rate counter: `name` is a keyed hash (of a conversation or an address), never the thing."""
    return f"{PREFIX}rate:{scope}:{name}:{window}"


def burst_key(window: int) -> str:
    """The case codes of web chats whose page was held back in one ten-minute window (messaging/bursts.py)."""
    return f"{PREFIX}burst:{window}"


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


def sign_in_failures_key(name: str) -> str:
    """Wrong console passwords lately, for one (account, address) or one address: `name` is a keyed hash."""
    return f"{PREFIX}signin:{name}"


def foreign_reads_key(advocate: str, window: int) -> str:
    """The case codes not their own an advocate opened in one window (a set: guessing codes fills it)."""
    return f"{PREFIX}foreign:{advocate}:{window}"


def audit_once_key(name: str) -> str:
    """Marks an audit event that floods could repeat as recorded lately (store/audit.py), one key per kind."""
    return f"{PREFIX}audit-once:{name}"


def offers_key(conversation: str) -> str:
    """Who a waiting request was offered to, in order (advocate ids; "*" once it went to everyone)."""
    return f"{PREFIX}offered:{conversation}"
