"""Run one inbound message through the store, the engine and the messenger: one read, one atomic write."""
from __future__ import annotations

import logging
import random
import time
from typing import Callable, Generic, Protocol

from bot.advocates import Advocate
from bot.conversation import Conversation, Inbound, Outcome, TurnFacts
from bot.engine import Engine
from bot.errors import ConversationBusy, ConversationChanged
from bot.facts import LineFacts
from bot.ports import Messenger, Roster, Store, TurnExtras, W

log = logging.getLogger(__name__)
TRIES = 30  # a turn that lost the race to another write of its conversation runs again on what was written


class AdvocateDesk(Protocol):
    """The advocates' desk as the service sees it (bot/handoff.py): who is an advocate, and their texts."""

    @property
    def roster(self) -> Roster: ...
    def handle_text(self, advocate: Advocate, inbound: Inbound, own_key: str) -> list[str]: ...


class InboundService(Generic[W]):
    def __init__(self, engine: Engine, store: Store[W], messenger: Messenger[W] | None = None,
                 desk: AdvocateDesk | None = None, facts: LineFacts | None = None,
                 clock: Callable[[], float] = time.time, extras: TurnExtras | None = None,
                 holding_line: Callable[[Outcome], None] | None = None):
        self.engine = engine
        self.store = store
        self.messenger = messenger
        self.desk = desk
        self.facts = facts
        self.clock = clock
        self.extras = extras  # store/turn_extras.py: a card code in the message, their safety word
        # messaging/routing.py: a request that finds nobody free gets the honest holding line in its reply.
        self.holding_line = holding_line

    def handle(self, inbound: Inbound, now: float | None = None) -> list[str] | None:
        """Return the replies to one inbound message; a retried MessageSid gets the same replies. None: the
        number is blocked, answer with the static safety message only.

        Nothing waits for a lock: a turn that finds its conversation written meanwhile runs again on the
        fresh state (a STOP that came in the meantime then silences it). `now`: when it arrived, for a
        message replayed from the outage spool."""
        started = time.perf_counter()
        conv_key = self.store.conversation_key(inbound.address)
        command = self.engine.keywords.command(inbound.body, inbound.num_media)
        stop = command == "stop"
        for attempt in range(TRIES):
            opened = self.store.open_turn(conv_key, inbound.address, inbound.sid, stop=stop and attempt == 0)
            if opened.stored_reply is not None:
                log.info("message conv=%s retry=1 ms=%.1f", conv_key[:12], _ms(started))
                return opened.stored_reply
            advocate = self._advocate(opened.advocate_id)
            if advocate is not None and self.desk is not None:  # an advocate is never treated as a survivor
                return self.desk.handle_text(advocate, inbound, conv_key)
            if opened.blocked and command not in ("stop", "start"):  # STOP and START still hold (rule 7)
                self._blocked(conv_key, inbound, started)
                return None
            outcome = self._written(opened.conversation, inbound, self.clock() if now is None else now)
            if outcome is not None:
                log.info(
                    "message conv=%s intent=%s state=%s->%s effects=%s tries=%s ms=%.1f", conv_key[:12],
                    outcome.intent, outcome.previous_state, outcome.conversation.state,
                    ",".join(type(e).__name__ for e in outcome.effects) or "-", attempt + 1, _ms(started),
                )
                return outcome.replies
            # Lost the race: another message of theirs was written first. Step aside a moment (random, so
            # that a burst of texts from one phone does not collide again in lockstep), then run on it.
            time.sleep(random.uniform(0, min(0.05, 0.001 * 2 ** attempt)))
        raise ConversationBusy()

    def _blocked(self, conv_key: str, inbound: Inbound, started: float) -> None:
        """A blocked number: its words are kept, marked, so a supervisor can see a block was a mistake; no
        turn runs, nobody is paged, it stays out of the queue."""
        if inbound.body:
            self.store.append_log(conv_key, self.clock(), "survivor", inbound.body, blocked=True)
        log.info("message conv=%s blocked=1 ms=%.1f", conv_key[:12], _ms(started))

    def _advocate(self, advocate_id: str | None):
        if advocate_id is None or self.desk is None:
            return None
        return self.desk.roster.get(advocate_id)

    def _written(self, conv: Conversation, inbound: Inbound, now: float) -> Outcome | None:
        """One turn of the engine and everything it changes, written whole; None if the conversation
        changed since it was read (nothing was written)."""
        facts = self.facts.for_turn(conv, now) if self.facts else TurnFacts()
        if self.extras is not None:
            facts = self.extras.for_turn(conv, inbound, facts)
        write = self.store.begin(conv)
        outcome = self.engine.step(conv, inbound, now, facts)
        if self.holding_line is not None:
            self.holding_line(outcome)
        self.store.write_turn(write, outcome, inbound, now)
        if self.messenger is not None:
            self.messenger.after_turn(outcome, write)
        try:
            return outcome if self.store.apply(write) else None
        except ConversationChanged:  # the case code it chose was taken meanwhile: run again with another
            return None


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
