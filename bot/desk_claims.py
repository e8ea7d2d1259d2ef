"""Who holds a conversation: CLAIM, RELEASE, and a transfer from one advocate to another."""
from __future__ import annotations

from typing import Generic

from bot.advocates import Advocate
from bot.capacity import over_capacity
from bot.conversation import Priority, RequestAdvocate, WithdrawRequest
from bot.desk_core import DeskCore
from bot.desk_result import DeskKind, DeskResult
from bot.engine import Engine
from bot.errors import ConversationBusy, ConversationChanged
from bot.outreach import introduction
from bot.ports import Messenger, W

TRIES = 5  # a survivor's turn that writes first makes the command run again on what it wrote


class Claims(Generic[W]):
    def __init__(self, core: DeskCore[W], messenger: Messenger[W], engine: Engine):
        self.core = core
        self.store = core.store
        self.messenger = messenger
        self.engine = engine

    def claim(self, advocate: Advocate, code: str, reply_to: tuple[str, str] | None = None) -> DeskResult:
        core = self.core
        conv_key = self.store.conversation_for_code(code)
        conv = self.store.get(conv_key) if conv_key else None
        if conv is None or conv.case_code != code:
            return core.say("no_such_code", code=code)
        if conv.advocate == advocate.id:
            return core.say("already_yours", code=code)
        if conv.advocate:
            return core.say("held_by_other", code=code, name=conv.advocate_name)
        if not conv.has_open_request:
            return core.say("not_waiting", code=code)
        held = core.roster.load(advocate.id)
        if over_capacity(advocate, held, conv.priority):  # URGENT is always theirs to take
            return core.say("at_capacity", held=str(held), capacity=str(advocate.capacity))
        conv.advocate, conv.advocate_name, conv.claimed_at = advocate.id, advocate.first_name, core.clock()
        if conv.state != "quiet":
            conv.state = "with_advocate"
        head = ("claimed_quiet" if conv.state == "quiet" else "claimed" if conv.contact_ok
                else "claimed_no_consent")
        replies = [core.texts(head, code=code, name=advocate.first_name)] + core.summary(conv)
        write = core.change(conv, [WithdrawRequest()], f"claimed by {advocate.first_name}", replies, reply_to)
        self.store.write_hold(write, advocate.id, conv.key, held=True)
        self.messenger.claimed(conv, write)
        if head == "claimed":
            self.messenger.to_survivor(conv, introduction(self.engine, conv, advocate), "intro", write)
        core.apply(write)
        core.record("claim", advocate, code)
        return DeskResult(DeskKind(head), replies)

    def release(self, advocate: Advocate, code: str, reply_to: tuple[str, str] | None = None) -> DeskResult:
        core = self.core
        conv, refusal = core.holding(advocate, code)
        if conv is None:
            return refusal or core.say("not_yours", code=code)
        conv.advocate = conv.advocate_name = conv.claimed_at = None
        if conv.state == "with_advocate":
            conv.state = "waiting"
        priority = conv.priority or Priority.NORMAL  # a conversation one holds came from a request
        replies = [core.texts("released", code=code)]
        write = core.change(conv, [RequestAdvocate(priority)], f"released by {advocate.first_name}",
                            replies, reply_to)
        self.store.write_hold(write, advocate.id, conv.key, held=False)
        self.messenger.page(conv, urgent=priority is Priority.URGENT, write=write)
        self.messenger.schedule_escalation(conv, write=write)
        core.apply(write)
        core.record("release", advocate, code)
        return DeskResult(DeskKind.RELEASED, replies)

    def transfer(self, advocate: Advocate, code: str, to: Advocate) -> DeskResult:
        """Hand a conversation one holds straight to another advocate; they get its summary by SMS."""
        if to.id == advocate.id:
            return self.core.say("already_yours", code=code)
        for _ in range(TRIES):
            try:
                return self._transfer(advocate, code, to)
            except ConversationChanged:
                continue
        raise ConversationBusy()

    def _transfer(self, advocate: Advocate, code: str, to: Advocate) -> DeskResult:
        core = self.core
        conv, refusal = core.holding(advocate, code)
        if conv is None:
            return refusal or core.say("not_yours", code=code)
        conv.advocate, conv.advocate_name, conv.claimed_at = to.id, to.first_name, core.clock()
        write = core.change(conv, [], f"transferred by {advocate.first_name} to {to.first_name}")
        self.store.write_hold(write, advocate.id, conv.key, held=False)
        self.store.write_hold(write, to.id, conv.key, held=True)
        talking = conv.state == "with_advocate" and conv.contact_ok
        head = "claimed" if talking else "claimed_quiet" if conv.state == "quiet" else "claimed_no_consent"
        for part in [core.texts(head, code=code, name=to.first_name)] + core.summary(conv):
            self.messenger.to_advocate(to.id, part, "notice", conv, write)
        if talking:  # a warm handoff: the survivor hears who is with them now
            self.messenger.to_survivor(conv, introduction(self.engine, conv, to), "intro", write)
        core.apply(write)
        core.record("transfer", advocate, code, f"to {to.id}")
        return DeskResult(DeskKind.TRANSFERRED, [core.texts("held_by_other", code=code, name=to.first_name)])
