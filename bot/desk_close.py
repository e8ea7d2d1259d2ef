"""CLOSE: the conversation ends for the advocate, with the outcome codes the organisation counts."""
from __future__ import annotations

from typing import Generic

from bot.advocates import Advocate
from bot.conversation import Conversation, WithdrawRequest
from bot.desk_core import DeskCore
from bot.desk_result import DeskKind, DeskResult
from bot.engine import Engine
from bot.outreach import carry_over
from bot.ports import Messenger, W
from bot.wrapup import example, outcome_counts, read_outcomes


class Closing(Generic[W]):
    def __init__(self, core: DeskCore[W], messenger: Messenger[W], engine: Engine, outcomes: tuple[str, ...] = ()):
        self.core = core
        self.store = core.store
        self.messenger = messenger
        self.engine = engine
        self.outcomes = outcomes  # org.yaml outcomes: the codes a close may record (bot/wrapup.py)

    def close(self, advocate: Advocate, code: str, reply_to: tuple[str, str] | None = None,
              words: str = "") -> DeskResult:
        core = self.core
        conv, refusal = core.holding(advocate, code)
        if conv is None:
            return refusal or core.say("not_yours", code=code)
        outcomes = read_outcomes(words, self.outcomes)
        if outcomes is None:  # only codes are kept: a word that names none refuses the close
            return core.say("unknown_outcome", code=code, outcomes=example(self.outcomes),
                            items=", ".join(self.outcomes))
        closing_ok = conv.contact_ok and conv.state == "with_advocate" and not self.store.is_opted_out(conv.key)
        fresh = self.fresh_session(conv)
        kind = DeskKind.CLOSED if closing_ok else DeskKind.CLOSED_SILENTLY
        replies = [core.texts(kind.value, code=code)] + (
            [core.texts("closed_with", code=code, outcomes=", ".join(outcomes))] if outcomes else [])
        event = f"closed by {advocate.first_name}" + (f" ({', '.join(outcomes)})" if outcomes else "")
        write = core.change(fresh, [WithdrawRequest()], event, replies, reply_to)
        self.store.write_hold(write, advocate.id, conv.key, held=False)
        self.messenger.count(outcome_counts(outcomes), core.clock(), write)
        if closing_ok:
            self.messenger.to_survivor(fresh, self.engine.say("closing", conv.lang), "closing", write)
        self.messenger.cancel_escalation(conv, write)
        core.apply(write)
        core.record("close", advocate, code, ", ".join(outcomes))
        return DeskResult(kind, replies)

    def fresh_session(self, conv: Conversation) -> Conversation:
        """The conversation's next session: every message still queued for this one is dropped by its job."""
        fresh = Conversation(key=conv.key, address=conv.address, lang=conv.lang, created_at=conv.created_at,
                             session=conv.session + 1, updated_at=self.core.clock(), version=conv.version)
        fresh.case_code = conv.case_code  # kept so a late CLOSE or #code still gets a clear answer
        carry_over(conv, fresh)
        return fresh
