"""Rate limits that slow abuse of the web chat, and never refuse a message about someone's safety.

A small counter on the store (not Flask-Limiter): whether a message may pass an exhausted limit depends on
what it says and on the conversation's state, which is known only after reading the JSON body and the
conversation. Flask-Limiter decides before the view, and its exemption skips the count instead of
answering first and counting after.
"""
from __future__ import annotations

import time

from chat.errors import TooMany

MINUTE, HOUR = 60, 3600
# Always answered, whatever the count: danger words, and the words that make the line go quiet or away.
SAFETY_INTENTS = frozenset({"danger", "danger_quiet", "help", "stop", "quiet", "delete"})
SAFETY_QUESTIONS = frozenset({"safety_check", "triage_danger"})


def is_safety_message(engine, conv, text: str) -> bool:
    """Danger in words, "2" to "are you safe to talk?", or a word that quiets, stops or erases."""
    intent, reading = engine.read(text, conv=conv)
    if intent in SAFETY_INTENTS or reading.danger:
        return True
    return intent == "choice_2" and conv is not None and conv.state in SAFETY_QUESTIONS


def check_message(chats, limits, conv_key: str, address: str, safety: bool, now: float | None = None) -> None:
    """Count one message for its session and its address; over either limit, TooMany unless it is safety."""
    now = now or time.time()
    per_session = chats.count("session", conv_key, MINUTE, now)
    per_address = chats.count("address", chats.address_name(address), MINUTE, now)
    over = (per_session > limits.session_messages_per_minute
            or per_address > limits.address_messages_per_minute)
    if over and not safety:
        raise TooMany("Too many messages: wait a minute before sending more.", _until_next(now, MINUTE))


def check_new_chat(chats, limits, address: str, now: float | None = None) -> None:
    now = now or time.time()
    if chats.count("chats", chats.address_name(address), HOUR, now) > limits.address_chats_per_hour:
        raise TooMany("Too many new chats from this network: try again later.", _until_next(now, HOUR))


def _until_next(now: float, window: int) -> int:
    return int(window - now % window) + 1
