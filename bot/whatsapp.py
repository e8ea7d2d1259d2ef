"""WhatsApp's rules, as plain functions: the 24-hour window and business-scoped user ids. No I/O."""
from __future__ import annotations

import re

from bot.conversation import Conversation, channel_of

# WhatsApp accepts a free-form message only within 24 h of the person's last message. The minute kept
# back covers the time between Twilio receiving their message and us recording it.
WINDOW_SECONDS = 24 * 3600
WINDOW_MARGIN_SECONDS = 60
# A business-scoped user id (a WhatsApp user who shows a username, not a number): US.13491208655302741918
_BUSINESS_SCOPED = re.compile(r"^[A-Z]{2}\.[A-Za-z0-9]{4,64}$")


def is_business_scoped(user_id: str) -> bool:
    return bool(_BUSINESS_SCOPED.match(user_id))


def business_scoped_address(address: str) -> bool:
    """'whatsapp:US.1349…': an address that is no phone number."""
    prefix, _, rest = address.partition(":")
    return prefix == "whatsapp" and is_business_scoped(rest)


def window_closes_at(conv: Conversation, closed_at: float | None = None) -> float | None:
    """When the conversation's WhatsApp window closes (or closed); None when it is no WhatsApp one.

    `closed_at`: when Twilio said it had closed (error 63016), which counts until they write again.
    """
    if channel_of(conv.address) != "whatsapp":
        return None
    last = conv.last_inbound_at or 0.0
    if closed_at is not None and closed_at >= last:
        return min(closed_at, last + WINDOW_SECONDS - WINDOW_MARGIN_SECONDS)
    return last + WINDOW_SECONDS - WINDOW_MARGIN_SECONDS


def window_open(conv: Conversation, now: float, closed_at: float | None = None) -> bool:
    """True for anything but WhatsApp, and for WhatsApp within 24 h of their last message."""
    closes = window_closes_at(conv, closed_at)
    return closes is None or now < closes
