"""What a survivor's turn is told beyond the line's facts: a card code in the message, their safety word."""
from __future__ import annotations

from dataclasses import replace

from bot.conversation import Conversation, Inbound, TurnFacts
from bot.outreach import card_candidates
from store.outreach import Outreaches
from store.safety_word import SafetyWords


class OutreachFacts:
    """Reads Redis only when there is something to read: a code-shaped word, or a word set for them."""

    def __init__(self, outreaches: Outreaches, safety_words: SafetyWords):
        self.outreaches = outreaches
        self.safety_words = safety_words

    def for_turn(self, conv: Conversation, inbound: Inbound, facts: TurnFacts) -> TurnFacts:
        card = self.outreaches.find_in(card_candidates(inbound.body))
        word = self.safety_words.get(conv.key) if conv.safety_word_set else None
        return replace(facts, card=card, safety_word=word) if card or word else facts
