"""What a page may say of a request, and how long it has waited: plain functions of a conversation."""
from __future__ import annotations

import time

from bot.conversation import Conversation

ESCALATION_STAGES = 2  # 1: page everyone again (and one holding line); 2: page the supervisors


def one_line(text: str) -> str:
    """A survivor's text as one line: newlines and runs of spaces become one space, so it can't lay out a page."""
    return " ".join(text.split())


def request_fields(conv: Conversation) -> dict[str, str]:
    """What a page may say of a request (safety rule 3): never a number, never the survivor's words."""
    return {"code": conv.case_code or "????", "priority": conv.priority.value if conv.priority else "NORMAL",
            # A web chat says so: the visitor reads replies in a browser tab and has no number to call.
            "lang": conv.lang + (", web chat" if conv.channel == "web" else ""), "area": conv.area or "area not given"}


def wait_label(conv: Conversation, now: float | None = None) -> str:
    minutes = int(((now or time.time()) - (conv.requested_at or conv.updated_at)) // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"
