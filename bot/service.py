"""Run one inbound message through the store, the engine and the messenger."""
from __future__ import annotations

import logging
import time
from contextlib import AbstractContextManager
from typing import Callable, Protocol

from bot.conversation import Conversation, Inbound, Outcome, RequestAdvocate
from bot.engine import Engine
from bot.errors import ConversationBusy

log = logging.getLogger(__name__)


class Store(Protocol):
    def conversation_key(self, address: str) -> str: ...
    def locked(self, conversation: str) -> AbstractContextManager[None]: ...
    def stored_reply(self, conversation: str, sid: str) -> list[str] | None: ...
    def load(self, conversation: str, address: str) -> Conversation: ...
    def reserve_case_code(self, conversation: str) -> str: ...
    def commit(self, outcome: Outcome, inbound: Inbound, now: float) -> None: ...
    def apply_effects(self, conversation: Conversation, effects: list) -> None: ...
    def record_unprocessed(self, conversation: str, inbound: Inbound, now: float) -> None: ...


class Messenger(Protocol):
    def after_turn(self, outcome: Outcome) -> None:
        """Send what a turn asks for beyond its reply (pages to advocates)."""


class InboundService:
    def __init__(self, engine: Engine, store: Store, messenger: Messenger | None = None, desk=None,
                 clock: Callable[[], float] = time.time):
        self.engine = engine
        self.store = store
        self.messenger = messenger
        self.desk = desk
        self.clock = clock

    def handle(self, inbound: Inbound) -> list[str]:
        """Return the replies to one inbound message; a retried MessageSid gets the same replies."""
        if self.desk is not None:
            advocate = self.desk.roster.by_phone(inbound.address)
            if advocate is not None:  # an advocate is never treated as a survivor
                return self.desk.handle(advocate, inbound)
        started = time.perf_counter()
        conv_key = self.store.conversation_key(inbound.address)
        try:
            outcome, stored = self._run_locked(conv_key, inbound)
        except ConversationBusy:
            # Not run, but not lost: the words go into the transcript for the advocate to read.
            self.store.record_unprocessed(conv_key, inbound, self.clock())
            raise
        if outcome is None:
            log.info("message conv=%s retry=1 ms=%.1f", conv_key[:12], _ms(started))
            return stored
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

    def _run_locked(self, conv_key: str, inbound: Inbound) -> tuple[Outcome | None, list[str]]:
        """Run the turn under the conversation's lock; a MessageSid seen before gives (None, its reply)."""
        with self.store.locked(conv_key):
            stored = self.store.stored_reply(conv_key, inbound.sid)
            if stored is not None:
                return None, stored
            now = self.clock()
            outcome = self.engine.step(self.store.load(conv_key, inbound.address), inbound, now)
            conv = outcome.conversation
            if conv.case_code is None and any(isinstance(e, RequestAdvocate) for e in outcome.effects):
                conv.case_code = self.store.reserve_case_code(conv_key)
            self.store.commit(outcome, inbound, now)
            self.store.apply_effects(conv, outcome.effects)
        return outcome, outcome.replies


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
