"""Safety rule 2, checked again by every job just before a message to a survivor leaves."""
from __future__ import annotations

from bot.conversation import Conversation

# What each kind of message to a survivor needs of the conversation at the moment of sending.
NEEDS_ADVOCATE = frozenset({"intro", "relay"})


def why_not_send(conv: Conversation | None, kind: str, session: int, advocate: str | None,
                 opted_out: bool) -> str | None:
    """None when the message may go now; otherwise the reason it is dropped (never sent)."""
    if conv is None:
        return "deleted"
    if opted_out or conv.state == "opted_out":
        return "stopped"
    if conv.session != session:
        return "closed"
    if conv.state == "quiet":
        return "quiet"
    if kind in NEEDS_ADVOCATE:
        if conv.state != "with_advocate" or conv.advocate != advocate:
            return "closed"
        if not conv.contact_ok:
            return "consent"
    elif kind == "holding":
        if not conv.has_open_request:
            return "closed"
        if not conv.contact_ok:
            return "consent"
    elif kind != "closing":
        return "unknown kind"
    return None
