"""Blocking a number that harasses or probes the line, by case code: one desk for the console and the CLI.

A block keeps the person out of the queue and off advocates' phones; it never silences the line: every
text from a blocked number still gets the static safety message, since a trafficker may pose as a
victim and a victim may be blocked by mistake. STOP and START still work, so an opt-out is kept.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from enum import Enum
from typing import Callable, Generic

from bot.intents import Keywords
from bot.ports import Blocks, Messenger, Store, W

log = logging.getLogger(__name__)


class BlockKind(str, Enum):
    BLOCKED = "blocked"
    UNBLOCKED = "unblocked"
    NO_SUCH_CODE = "no such code"
    NOT_BLOCKED = "not blocked"


@dataclass(frozen=True)
class BlockResult:
    kind: BlockKind
    message: str


class BlockDesk(Generic[W]):
    def __init__(self, store: Store[W], blocks: Blocks, messenger: Messenger[W], keywords: Keywords,
                 audit: Callable[..., None], clock: Callable[[], float] = time.time):
        self.store = store
        self.blocks = blocks
        self.messenger = messenger
        self.keywords = keywords
        self.audit = audit  # audit(event, advocate, code, detail=...)
        self.clock = clock

    def block(self, code: str, duration: str, by: str) -> BlockResult:
        code = code.strip().upper()
        conv_key = self.store.conversation_for_code(code)
        if conv_key is None:
            return BlockResult(BlockKind.NO_SUCH_CODE, f"No conversation {code}: check the code.")
        block = self.blocks.add(conv_key, code, duration, by)
        conv = self.store.get(conv_key)
        if conv is not None:  # out of the queue now, and no more pages for the request it had
            self.store.withdraw(conv_key)
            self.messenger.cancel_escalation(conv)
        self.store.append_log(conv_key, block.at, "event", f"number blocked {_words(duration)} by {by}")
        self.audit("block", by, code, detail=_words(duration))
        return BlockResult(BlockKind.BLOCKED, f"Blocked {code} {_words(duration)}. They still get the safety "
                                              "message with 911 and the hotline; nobody is paged for them.")

    def unblock(self, code: str, by: str) -> BlockResult:
        code = code.strip().upper()
        conv_key = self.store.conversation_for_code(code)
        if conv_key is None:
            return BlockResult(BlockKind.NO_SUCH_CODE, f"No conversation {code}: check the code.")
        if not self.blocks.remove(conv_key):
            return BlockResult(BlockKind.NOT_BLOCKED, f"{code} is not blocked.")
        self.store.append_log(conv_key, self.clock(), "event", f"block lifted by {by}")
        self.audit("unblock", by, code)
        return BlockResult(BlockKind.UNBLOCKED, f"Unblocked {code}: their next text reaches the line as usual.")


def _words(duration: str) -> str:
    return {"24h": "for 24 hours", "30d": "for 30 days", "forever": "for good"}.get(duration, duration)
