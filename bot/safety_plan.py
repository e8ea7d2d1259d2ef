"""What an advocate records from safety planning: the survivor's safety word, and a safe place booked.

Both go through the desk's hold check: only the advocate holding a conversation may set or clear its word.
The word is never repeated back, never written to the transcript or the audit, never logged.
"""
from __future__ import annotations

from typing import Any, Generic

from bot.advocates import Advocate
from bot.conversation import Conversation
from bot.desk_core import DeskCore
from bot.desk_result import DeskResult
from bot.intents import Keywords
from bot.ports import Messenger, SafetyWords, W
from bot.safety_word import SafetyWordRejected, normalise

CLEAR = "clear"


class SafetyPlan(Generic[W]):
    def __init__(self, core: DeskCore[W], messenger: Messenger[W], keywords: Keywords,
                 safety_words: SafetyWords | None = None):
        self.core = core
        self.messenger = messenger
        self.keywords = keywords
        self.safety_words = safety_words

    def set_safety_word(self, advocate: Advocate, code: str | None, text: str) -> DeskResult:
        """WORD K7Q2 pizza sets it; WORD K7Q2 CLEAR clears it; WORD K7Q2 alone says how."""
        core = self.core
        if not text:
            return core.say("word_help", code=code)
        conv, refusal = core.holding(advocate, code)
        if conv is None or self.safety_words is None:
            return refusal or core.say("not_yours", code=code or "That")
        if text.casefold() == CLEAR:
            self.safety_words.clear(conv.key)
            conv.safety_word_set = False
            event, reply = "safety word cleared", "word_cleared"
        else:
            try:
                word = normalise(text, self.keywords.reserved())
            except SafetyWordRejected as exc:
                return core.say("word_rejected", code=code, reason=str(exc))
            self.safety_words.set(conv.key, word, advocate.id, core.clock())
            conv.safety_word_set = True
            event, reply = "safety word set", "word_set"
        core.apply(core.change(conv, [], f"{event} by {advocate.first_name}"))
        core.record("safety_word", advocate, code, event)
        return core.say(reply, code=code)

    def details(self, conv: Conversation) -> dict[str, Any] | None:
        """Who set it and when, for the console: never the word."""
        if not conv.safety_word_set or self.safety_words is None:
            return None
        return self.safety_words.details(conv.key)

    def place_booked(self, advocate: Advocate, code: str) -> DeskResult:
        """BOOKED K7Q2: a safe place is booked for them tonight (counted once a session, for the report)."""
        core = self.core
        conv, refusal = core.holding(advocate, code)
        if conv is None:
            return refusal or core.say("not_yours", code=code)
        core.store.append_log(conv.key, core.clock(), "event", f"safe place booked by {advocate.first_name}")
        core.record("booked", advocate, code)
        self.messenger.place_booked(conv)
        return core.say("booked", code=code)
