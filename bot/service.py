"""Run one inbound message through the store, the engine and the messenger."""
from __future__ import annotations

import logging
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Callable, Protocol

from bot.conversation import Conversation, Inbound, Outcome, RequestAdvocate, TurnFacts
from bot.engine import Engine
from bot.errors import ConversationBusy
from bot.facts import LineFacts

log = logging.getLogger(__name__)


class Store(Protocol):
    def conversation_key(self, address: str) -> str: ...
    def locked(self, conversation: str) -> AbstractContextManager[None]: ...
    def open_turn(self, conversation: str, address: str, sid: str) -> OpenedTurn: ...
    def reserve_case_code(self, conversation: str) -> str: ...
    def commit(self, outcome: Outcome, inbound: Inbound, now: float) -> None: ...
    def apply_effects(self, conversation: Conversation, effects: list) -> None: ...
    def record_unprocessed(self, conversation: str, inbound: Inbound, now: float) -> None: ...


@dataclass
class OpenedTurn:
    """What one read at the start of a turn finds: a reply already given, an advocate, the conversation."""

    stored_reply: list[str] | None
    advocate_id: str | None
    conversation: Conversation


class Messenger(Protocol):
    def after_turn(self, outcome: Outcome) -> None:
        """Send what a turn asks for beyond its reply (pages to advocates)."""


class InboundService:
    def __init__(self, engine: Engine, store: Store, messenger: Messenger | None = None, desk=None,
                 facts: LineFacts | None = None, clock: Callable[[], float] = time.time, extras=None):
        self.engine = engine
        self.extras = extras  # store/turn_extras.py: a card code in the message, their safety word
        self.store = store
        self.messenger = messenger
        self.desk = desk
        self.facts = facts
        self.clock = clock

    def handle(self, inbound: Inbound) -> list[str]:
        """Return the replies to one inbound message; a retried MessageSid gets the same replies."""
        started = time.perf_counter()
        conv_key = self.store.conversation_key(inbound.address)
        try:
            with self.store.locked(conv_key):
                opened = self.store.open_turn(conv_key, inbound.address, inbound.sid)
                if opened.stored_reply is not None:
                    log.info("message conv=%s retry=1 ms=%.1f", conv_key[:12], _ms(started))
                    return opened.stored_reply
                advocate = self._advocate(opened.advocate_id)
                if advocate is not None:  # an advocate is never treated as a survivor
                    return self.desk.handle_locked(advocate, inbound, conv_key)
                outcome = self._run(opened.conversation, inbound)
        except ConversationBusy:
            # Not run, but not lost: the words go into the transcript for the advocate to read.
            self.store.record_unprocessed(conv_key, inbound, self.clock())
            raise
        if self.messenger is not None:
            try:
                self.messenger.after_turn(outcome)
            except Exception:  # the reply and the queued request stand; paging is retried by escalation
                log.exception("after-turn sending failed conv=%s", conv_key[:12])
        log.info(
            "message conv=%s intent=%s state=%s->%s effects=%s ms=%.1f", conv_key[:12], outcome.intent,
            outcome.previous_state, outcome.conversation.state,
            ",".join(type(e).__name__ for e in outcome.effects) or "-", _ms(started),
        )
        return outcome.replies

    def _advocate(self, advocate_id: str | None):
        if advocate_id is None or self.desk is None:
            return None
        return self.desk.roster.get(advocate_id)

    def _run(self, conv: Conversation, inbound: Inbound) -> Outcome:
        """One turn of the engine, written in one transaction (the caller holds the lock)."""
        now = self.clock()
        facts = self.facts.for_turn(conv, now) if self.facts else TurnFacts()
        if self.extras is not None:
            facts = self.extras.for_turn(conv, inbound, facts)
        outcome = self.engine.step(conv, inbound, now, facts)
        conv = outcome.conversation
        if conv.case_code is None and any(isinstance(e, RequestAdvocate) for e in outcome.effects):
            conv.case_code = self.store.reserve_case_code(conv.key)
        self.store.commit(outcome, inbound, now)
        if outcome.effects:
            self.store.apply_effects(conv, outcome.effects)
        return outcome


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
