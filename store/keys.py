"""Every Redis key Lantern uses: one prefix, one place.

All keys of one conversation carry its hash tag (`lantern:{<conv>}:…`) so that a conversation's
one-transaction writes stay in one slot when the organisation moves to a Redis Cluster.
"""
from __future__ import annotations

PREFIX = "lantern:"
HANDOFF_QUEUE = PREFIX + "handoff"
AUDIT_STREAM = PREFIX + "audit"
BLOCK_INDEX = PREFIX + "blocks"  # every blocked conversation, by when its block ends (+inf: for good)
# inbox and visit: a web chat's messages for its browser tab, and when that tab was last seen.
# block: a supervisor's block on the number (store/blocks.py), in the conversation's slot so that a
# turn's one read can carry it.
CONVERSATION_PARTS = ("state", "log", "lock", "optout", "inbox", "visit", "block")


def key_for(conversation: str, part: str) -> str:
    """The key of one part of a conversation: state, log, lock, optout, inbox, visit, block."""
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


def burst_key(window: int) -> str:
    """The case codes of web chats whose page was held back in one ten-minute window (messaging/bursts.py)."""
    return f"{PREFIX}burst:{window}"


def demo_phone_key(phone_hash: str) -> str:
    """What one of /demo's two phones shows, named by the keyed hash of its (invented) number."""
    return f"{PREFIX}demo:phone:{phone_hash}"


def sign_in_failures_key(name: str) -> str:
    """Wrong console passwords lately, for one (account, address) or one address: `name` is a keyed hash."""
    return f"{PREFIX}signin:{name}"


def foreign_reads_key(advocate: str, window: int) -> str:
    """The case codes not their own an advocate opened in one window (a set: guessing codes fills it)."""
    return f"{PREFIX}foreign:{advocate}:{window}"
