"""What an advocate records from safety planning: the survivor's safety word, and a safe place booked.

Both go through the desk's hold check: only the advocate holding a conversation may set or clear its word.
The word is never repeated back, never written to the transcript or the audit, never logged.
"""
from __future__ import annotations

from bot.advocates import Advocate
from bot.safety_word import SafetyWordRejected, normalise

CLEAR = "clear"


def set_safety_word(desk, advocate: Advocate, code: str, text: str):
    """WORD K7Q2 pizza sets it; WORD K7Q2 CLEAR clears it; WORD K7Q2 alone says how."""
    if not text:
        return desk._say("word_help", code=code)
    conv, refusal = desk._holding(advocate, code)
    if conv is None:
        return refusal
    if text.casefold() == CLEAR:
        desk.safety_words.clear(conv.key)
        conv.safety_word_set = False
        event, reply = "safety word cleared", "word_cleared"
    else:
        try:
            word = normalise(text, desk.engine.keywords.reserved())
        except SafetyWordRejected as exc:
            return desk._say("word_rejected", code=code, reason=str(exc))
        desk.safety_words.set(conv.key, word, advocate.id, desk.clock())
        conv.safety_word_set = True
        event, reply = "safety word set", "word_set"
    desk._apply(desk._change(conv, [], f"{event} by {advocate.first_name}"))
    desk._audit("safety_word", advocate, code, event)
    return desk._say(reply, code=code)


def safety_word_details(desk, conv) -> dict | None:
    """Who set it and when, for the console: never the word."""
    return desk.safety_words.details(conv.key) if conv.safety_word_set else None


def place_booked(desk, advocate: Advocate, code: str):
    """BOOKED K7Q2: a safe place is booked for them tonight (counted once a session, for the report)."""
    conv, refusal = desk._holding(advocate, code)
    if conv is None:
        return refusal
    desk.store.append_log(conv.key, desk.clock(), "event", f"safe place booked by {advocate.first_name}")
    desk._audit("booked", advocate, code)
    desk.messenger.place_booked(conv)
    return desk._say("booked", code=code)
