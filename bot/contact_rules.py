"""Safety rule 2, checked again by every job just before a message to a survivor leaves."""
from __future__ import annotations

from bot.conversation import Conversation

# What each kind of message to a survivor needs of the conversation at the moment of sending.
NEEDS_ADVOCATE = frozenset({"intro", "relay"})
BOT_FIRST = frozenset({"holding"})  # the bot texting on its own, not an advocate
TIMED_WINDOWS = frozenset({"morning", "afternoon", "evening"})
# A survivor who texted within this long is talking, not being texted first; one quiet this long
# (after hours) has been promised the bot texts nothing more.
ENGAGED_FOR = 15 * 60
# The line an advocate gets when their message to a survivor is not sent, by reason.
NOT_SENT_TEXT = {"quiet": "not_sent_quiet", "silence": "not_sent_quiet", "consent": "not_sent_consent",
                 "stopped": "not_sent_stopped"}


def not_sent_text(reason: str) -> str:
    """The key of the advocate's line for a reason (closed, deleted and the rest: not_sent_closed)."""
    return NOT_SENT_TEXT.get(reason, "not_sent_closed")


def why_not_send(conv: Conversation | None, kind: str, session: int, advocate: str | None, opted_out: bool,
                 now: float = 0.0, window_open: bool = True) -> str | None:
    """None when the message may go now; otherwise why not ("window": hold it until their time)."""
    if conv is None:
        return "deleted"
    if opted_out or conv.state == "opted_out":
        return "stopped"
    if conv.session != session:
        return "closed"
    if conv.state == "quiet":
        return "quiet"
    reason = _kind_rule(conv, kind, advocate)
    if reason or kind == "closing":
        return reason
    engaged = conv.last_inbound_at is not None and now - conv.last_inbound_at < ENGAGED_FOR
    if kind in BOT_FIRST and conv.silence_promised and not engaged:
        return "silence"
    if conv.window in TIMED_WINDOWS and not window_open and not engaged:
        return "window"
    return None


def _kind_rule(conv: Conversation, kind: str, advocate: str | None) -> str | None:
    if kind in NEEDS_ADVOCATE:
        if conv.state != "with_advocate" or conv.advocate != advocate:
            return "closed"
        return None if conv.contact_ok else "consent"
    if kind == "holding":
        if not conv.has_open_request:
            return "closed"
        return None if conv.contact_ok else "consent"
    if kind == "checkin":  # they agreed to it; bot/outreach.py checked it was still theirs when it fell due
        return None
    if kind == "reopen":  # WhatsApp's template saying a message waits: only to someone who said yes
        return None if conv.contact_ok else "consent"
    return None if kind == "closing" else "unknown kind"
