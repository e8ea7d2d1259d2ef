"""What the console shows of delivery: each advocate message's state, and a WhatsApp conversation's window."""
from __future__ import annotations

import time

from bot.conversation import Conversation
from bot.whatsapp import window_closes_at
from messaging.twilio_errors import twilio_error
from store.delivery import DeliveryStates
from store.outbox import Outbox
from store.whatsapp_window import WhatsAppWindows

TWILIO_STATES = {"queued": "sending", "sending": "sending", "accepted": "sending", "scheduled": "sending",
                 "sent": "sent", "delivered": "delivered", "read": "read"}
OWN_STATES = {"new": "sending", "queued": "sending", "held": "held: goes when they write",
              "opted_out": "not sent: they texted STOP"}


def delivery_states(deliveries: DeliveryStates, outbox: Outbox, conv: Conversation,
                    out_ids: list[str]) -> dict[str, str]:
    """Outbound id → what became of it, in words: Twilio's latest status when it has one, else ours."""
    if not out_ids:
        return {}
    reported = deliveries.statuses(conv.key)
    states = {}
    for out_id in out_ids:
        message = outbox.get(out_id)
        if message is not None:
            states[out_id] = _state(message, reported.get(message.twilio_sid))
    return states


def _state(message, reported: tuple[str, str] | None) -> str:
    if reported is not None:
        status, code = reported
        if status in ("failed", "undelivered"):
            return "not delivered: " + twilio_error(code).meaning
        return TWILIO_STATES.get(status, status)
    if message.status == "retrying":
        return f"trying again ({message.reason})"
    if message.status == "failed":
        return f"not delivered: {message.reason}" if message.reason else "not delivered"
    if message.status == "dropped":
        return f"not sent ({message.reason})" if message.reason else "not sent"
    return OWN_STATES.get(message.status, message.status)


def window_view(windows: WhatsAppWindows, conv: Conversation, clock, now: float | None = None) -> dict | None:
    """For WhatsApp: open until when, or closed since when, and how many messages wait for them."""
    if conv.channel != "whatsapp":
        return None
    now = time.time() if now is None else now
    closes = window_closes_at(conv, windows.closed_at(conv.key))
    held = windows.held_count(conv.key)
    if closes is not None and now < closes:
        return {"open": True, "text": f"open until {clock(closes)}", "held": held}
    since = f" since {clock(closes)}" if closes else ""
    return {"open": False, "held": held,
            "text": f"closed{since}: a message from you is held until they write"}
