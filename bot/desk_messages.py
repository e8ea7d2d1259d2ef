"""An advocate's words to the survivor (relayed through the hotline), and LIST: what waits, what is theirs."""
from __future__ import annotations

from typing import Generic

from bot.advocates import Advocate
from bot.contact_rules import not_sent_text, why_not_send
from bot.desk_core import DeskCore, new_message_id, split_parts
from bot.desk_result import DeskKind, DeskResult
from bot.ports import Messenger, W


class Messages(Generic[W]):
    def __init__(self, core: DeskCore[W], messenger: Messenger[W]):
        self.core = core
        self.store = core.store
        self.messenger = messenger

    def relay(self, advocate: Advocate, code: str | None, text: str) -> DeskResult:
        core = self.core
        conv, refusal = core.holding(advocate, code)
        if conv is None:
            return refusal or core.say("not_yours", code=code or "That")
        reason = why_not_send(conv, "relay", conv.session, advocate.id, self.store.is_opted_out(conv.key))
        if reason:
            return core.say(not_sent_text(reason), code=conv.case_code)
        # The transcript entry names its outbound message: the console shows what became of it.
        message_id = new_message_id()
        self.store.append_log(conv.key, core.clock(), "advocate", text, name=advocate.first_name, out=message_id)
        core.record("reply", advocate, conv.case_code)
        self.messenger.to_survivor(conv, text, "relay", message_id=message_id)
        return DeskResult(DeskKind.SENT, [])

    def listing(self, advocate: Advocate) -> DeskResult:
        texts, now = self.core.texts, self.core.clock()
        waiting = [f"{c.case_code} {c.priority.value if c.priority else 'NORMAL'} {c.lang} {c.area or '-'} "
                   f"{int((now - (c.requested_at or now)) // 60)}m" for c in self.store.waiting_requests()]
        lines = [texts("list_waiting", items="; ".join(waiting)) if waiting else texts("list_none_waiting")]
        held = [c.case_code or "????" for c in self.store.holds(advocate.id)]
        if held:
            lines.append(texts("list_yours", codes=", ".join(held)))
        return DeskResult(DeskKind.LIST, split_parts("\n".join(lines)))
