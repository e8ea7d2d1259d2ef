"""The advocates' desk: CLAIM, relay, RELEASE, CLOSE, LIST, WORD, BOOKED and HELP texted from an advocate's own
phone, and the same commands from the console. Each idea has its module; this one reads the command and
hands it to the one that does it."""
from __future__ import annotations

import logging
import time
from typing import Any, Callable, Generic

from bot.advocates import Advocate, AdvocateTexts, Command, parse_command
from bot.conversation import Conversation, Inbound
from bot.desk_claims import Claims
from bot.desk_close import Closing
from bot.desk_core import DeskCore
from bot.desk_messages import Messages
from bot.desk_result import WRITES_ITS_REPLY, DeskKind, DeskResult
from bot.engine import Engine
from bot.errors import ConversationBusy, ConversationChanged
from bot.ports import Audit, Messenger, Roster, SafetyWords, Store, W
from bot.safety_plan import SafetyPlan

log = logging.getLogger(__name__)
TRIES = 5  # a survivor's turn that writes first makes the command run again on what it wrote
NEEDS_A_CODE = ("claim", "release", "close", "booked")

__all__ = ["AdvocateDesk", "DeskKind", "DeskResult"]


class AdvocateDesk(Generic[W]):
    def __init__(self, store: Store[W], roster: Roster, messenger: Messenger[W], texts: AdvocateTexts, engine: Engine,
                 clock: Callable[[], float] = time.time, audit: Audit | None = None,
                 safety_words: SafetyWords | None = None, outcomes: tuple[str, ...] = ()):
        self.core = DeskCore(store, roster, texts, clock, audit)
        self.roster = roster
        self.claims = Claims(self.core, messenger, engine)
        self.closing = Closing(self.core, messenger, engine, outcomes)
        self.messages = Messages(self.core, messenger)
        self.safety_plan = SafetyPlan(self.core, messenger, engine.keywords, safety_words)

    @property
    def outcomes(self) -> tuple[str, ...]:
        return self.closing.outcomes

    def handle_text(self, advocate: Advocate, inbound: Inbound, own_key: str) -> list[str]:
        """Run one text from an advocate. The replies go back to them and are kept with the MessageSid,
        in the same write as what the command changed, so a retry runs nothing twice."""
        command = parse_command(inbound.body)
        result = self.run(advocate, command, reply_to=(own_key, inbound.sid))
        log.info("advocate command=%s result=%s", command.verb, result.kind.value)
        return result.replies

    def run(self, advocate: Advocate, command: Command, reply_to: tuple[str, str] | None = None) -> DeskResult:
        for _ in range(TRIES):
            try:
                result = self._run(advocate, command, reply_to)
            except ConversationChanged:
                continue
            if reply_to is not None and result.kind not in WRITES_ITS_REPLY:
                self.core.store.remember_reply(*reply_to, result.replies)
            return result
        raise ConversationBusy()

    def _run(self, advocate: Advocate, command: Command, reply_to: tuple[str, str] | None) -> DeskResult:
        verb, code, text = command.verb, command.code, command.text
        if verb in NEEDS_A_CODE and not code:
            return self.core.say("need_code", command=verb.upper())
        if verb == "claim" and code:
            return self.claims.claim(advocate, code, reply_to)
        if verb == "release" and code:
            return self.claims.release(advocate, code, reply_to)
        if verb == "close" and code:
            return self.closing.close(advocate, code, reply_to, text)
        if verb == "say":
            return self.messages.relay(advocate, code, text)
        if verb == "word":
            return self.safety_plan.set_safety_word(advocate, code, text)
        if verb == "booked" and code:
            return self.safety_plan.place_booked(advocate, code)
        if verb == "list":
            return self.messages.listing(advocate)
        return self.core.say("help" if verb == "help" else "unknown_command")

    def transfer(self, advocate: Advocate, code: str, to: Advocate) -> DeskResult:
        return self.claims.transfer(advocate, code, to)

    def safety_word_details(self, conv: Conversation) -> dict[str, Any] | None:
        return self.safety_plan.details(conv)
