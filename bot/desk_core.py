"""What every command of the advocates' desk shares: the conversation one holds, read again; one write per
change; the advocate's lines; the audit."""
from __future__ import annotations

import time
import uuid
from typing import Any, Callable, Generic

from bot.advocates import Advocate, AdvocateTexts
from bot.conversation import Conversation, Effect
from bot.desk_result import DeskKind, DeskResult
from bot.errors import ConversationChanged
from bot.ports import Audit, Roster, Store, W

SMS_PART = 300  # two SMS segments: an advocate's summary arrives in parts of about this size
SUMMARY_MESSAGES = 6


class DeskCore(Generic[W]):
    def __init__(self, store: Store[W], roster: Roster, texts: AdvocateTexts, clock: Callable[[], float] = time.time,
                 audit: Audit | None = None):
        self.store = store
        self.roster = roster
        self.texts = texts
        self.clock = clock
        self.audit = audit  # the app writes it to the audit stream; None in pure tests

    def say(self, kind: str, **values: Any) -> DeskResult:
        return DeskResult(DeskKind(kind), [self.texts(kind, **values)])

    def record(self, event: str, advocate: Advocate, code: str | None, detail: str = "") -> None:
        if self.audit is not None:
            self.audit(event, advocate.id, code or "", detail)

    def holding(self, advocate: Advocate, code: str | None) -> tuple[Conversation | None, DeskResult | None]:
        """The conversation a command is about, read again and still theirs; or None and why not."""
        held, refusal = self._held(advocate, code)
        if held is None:
            return None, refusal
        conv = self.store.get(held.key)
        if conv is None or conv.advocate != advocate.id:
            return None, self.say("not_yours", code=code or "That")
        return conv, None

    def _held(self, advocate: Advocate, code: str | None) -> tuple[Conversation | None, DeskResult | None]:
        """The conversation an advocate's command is about, or None and the line that says why not."""
        held = self.store.holds(advocate.id)
        if code is None:
            if len(held) == 1:
                return held[0], None
            if not held:
                return None, self.say("nothing_open")
            return None, self.say("which_one", codes=", ".join(c.case_code or "????" for c in held))
        for conv in held:
            if conv.case_code == code:
                return conv, None
        if self.store.conversation_for_code(code) is None:
            return None, self.say("no_such_code", code=code)
        return None, self.say("not_yours", code=code)

    def change(self, conv: Conversation, effects: list[Effect], event: str, replies: list[str] | None = None,
               reply_to: tuple[str, str] | None = None) -> W:
        """One write for the whole change: state, queue, the event line and, for a text, its reply."""
        write = self.store.begin(conv)
        self.store.write_state(write, conv)
        self.store.write_effects(write, conv, effects)
        self.store.write_log(write, conv.key, self.clock(), "event", event)
        if reply_to is not None:
            self.store.write_reply(write, *reply_to, replies or [])
        return write

    def apply(self, write: W) -> None:
        if not self.store.apply(write):
            raise ConversationChanged()

    def summary(self, conv: Conversation) -> list[str]:
        """Priority, language, area, the answers so far and the last messages, in SMS-sized parts."""
        lines = [self.texts("summary_head", code=conv.case_code, priority=_priority(conv), lang=conv.lang,
                            area=conv.area or "area not given")]
        if conv.answers:
            lines.append(self.texts("summary_answers", answers="; ".join(f"{k}: {v}" for k, v in conv.answers.items())))
        entries = [e for e in self.store.transcript(conv.key) if e["by"] in ("survivor", "bot", "advocate")]
        if entries:
            lines.append(self.texts("summary_last"))
            lines += [f"{'them' if e['by'] == 'survivor' else e['by']}: {e['text']}" for e in entries[-SUMMARY_MESSAGES:]]
        return split_parts("\n".join(lines))


def _priority(conv: Conversation) -> str:
    return conv.priority.value if conv.priority else "NORMAL"


def new_message_id() -> str:
    """Random, so it names nobody: it rides on the send job and Twilio's status callback URL."""
    return uuid.uuid4().hex


def split_parts(text: str, size: int = SMS_PART) -> list[str]:
    """Cut on line ends into parts of at most `size` characters, numbered when there are several."""
    parts, current = [], ""
    for line in text.split("\n"):
        while len(line) > size:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:size])
            line = line[size:]
        if current and len(current) + 1 + len(line) > size:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        parts.append(current)
    return parts if len(parts) == 1 else [f"({i}/{len(parts)}) {p}" for i, p in enumerate(parts, 1)]
