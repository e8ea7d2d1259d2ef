"""How the console shows times, waits, numbers and requests: one place, so pages and live updates agree."""
from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import g

from bot.conversation import Conversation, channel_of
from bot.whatsapp import business_scoped_address
from console.blueprint import bp
from store.roster import masked
from console.dependencies import console_dependencies

LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}
MISSED_CALL = "missed call, do not text first"
STATES = {"waiting": "waiting for an advocate", "with_advocate": "with an advocate", "quiet": "asked for quiet",
          "opted_out": "texted STOP", "new": "closed"}


@bp.context_processor
def store_memory() -> dict:
    """A signed-in advocate sees when Redis is past 80% of its memory, while there is time to act."""
    if not g.get("advocate"):
        return {}
    reading = console_dependencies().memory.reading()
    return {"store_memory": reading} if reading is not None and reading.high else {}


@bp.app_template_filter("clock")
def clock(at: float | None) -> str:
    """14:05 today, Mar 14 14:05 before, in the line's time zone."""
    if not at:
        return "-"
    zone = ZoneInfo(console_dependencies().settings.timezone)
    moment, today = datetime.fromtimestamp(at, zone), datetime.now(zone).date()
    return moment.strftime("%H:%M" if moment.date() == today else "%b %d %H:%M")


def wait_minutes(conv: Conversation, now: float | None = None) -> int:
    return max(0, int(((now or time.time()) - (conv.requested_at or conv.updated_at)) // 60))


def wait_text(minutes: int) -> str:
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h {minutes % 60} min"


def masked_address(address: str) -> str:
    """The only way a survivor's number is ever shown: its channel and last four digits."""
    channel = channel_of(address)
    if channel == "web":
        return "web chat"
    if business_scoped_address(address):  # no number at all: a WhatsApp user id, just as discreet
        return "WhatsApp user ••" + address[-2:]
    return ("WhatsApp " if channel == "whatsapp" else "") + masked(address)


def state_text(conv: Conversation) -> str:
    if conv.missed_call_at and conv.state == "new" and conv.priority is not None:
        return MISSED_CALL
    if conv.state == "new" and conv.priority is None:
        return "closed" if conv.case_code else "no request"
    return STATES.get(conv.state, conv.state.replace("_", " "))


def request_row(conv: Conversation, now: float | None = None) -> dict:
    """What the queue shows of a request: code, priority, language, area, wait. Never a number or words."""
    minutes = wait_minutes(conv, now)
    return {"code": conv.case_code, "priority": conv.priority.value if conv.priority else "NORMAL",
            "lang": conv.lang, "language": LANGUAGE_NAMES.get(conv.lang, conv.lang), "area": conv.area or "",
            "wait_minutes": minutes, "wait": wait_text(minutes),
            "note": MISSED_CALL if conv.missed_call_at and not conv.contact_ok else ""}


def offered_text(offered: list[str], first_names: dict[str, str]) -> str:
    """'offered to Sam, then Alexis, then everyone' (handoff.mode: offer); '' when it went to all at once."""
    names = [first_names.get(a, "someone removed") for a in offered if a != "*"]
    if not names:
        return ""
    return "offered to " + ", then ".join(names) + (", then everyone" if "*" in offered else "")
