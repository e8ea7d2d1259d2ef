"""The advocates' desk: CLAIM, relay, RELEASE, CLOSE, LIST and HELP texted from an advocate's own phone."""
from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from typing import Callable

from bot.advocates import Advocate, AdvocateTexts, Command, parse_command
from bot.capacity import over_capacity
from bot.wrapup import example, outcome_counts, read_outcomes
from bot.contact_rules import not_sent_text, why_not_send
from bot.conversation import Conversation, Inbound, RequestAdvocate, WithdrawRequest
from bot.errors import ConversationBusy, ConversationChanged
from bot.outreach import carry_over, introduction
from bot.safety_plan import place_booked, set_safety_word

log = logging.getLogger(__name__)
SMS_PART = 300  # two SMS segments: an advocate's summary arrives in parts of about this size
SUMMARY_MESSAGES = 6


@dataclass(frozen=True)
class DeskResult:
    """What became of an advocate's command (`kind`: claimed, released, not_yours…) and the lines for them."""

    kind: str
    replies: list[str]

    @property
    def done(self) -> bool:
        return self.kind in DONE


# The kinds in which the command did what was asked.
DONE = frozenset({"claimed", "claimed_quiet", "claimed_no_consent", "released", "closed", "closed_silently",
                  "transferred", "sent", "list", "help", "word_set", "word_cleared", "booked"})
TRIES = 5  # a survivor's turn that writes first makes the command run again on what it wrote


class AdvocateDesk:
    def __init__(self, store, roster, messenger, texts: AdvocateTexts, engine, clock: Callable[[], float] = time.time,
                 audit: Callable[..., None] | None = None, safety_words=None, outcomes: tuple[str, ...] = ()):
        self.store = store
        self.roster = roster
        self.messenger = messenger
        self.texts = texts
        self.engine = engine
        self.clock = clock
        # audit(event, advocate_id, code, detail): the app writes it to the audit stream; None in pure tests.
        self.audit = audit
        self.safety_words = safety_words  # store/safety_word.py
        self.outcomes = outcomes  # org.yaml outcomes: the codes a close may record (bot/wrapup.py)

    def handle_text(self, advocate: Advocate, inbound: Inbound, own_key: str) -> list[str]:
        """Run one text from an advocate. The replies go back to them and are kept with the MessageSid,
        in the same write as what the command changed, so a retry runs nothing twice."""
        command = parse_command(inbound.body)
        result = self.run(advocate, command, reply_to=(own_key, inbound.sid))
        log.info("advocate command=%s result=%s", command.verb, result.kind)
        return result.replies

    def run(self, advocate: Advocate, command: Command, reply_to: tuple[str, str] | None = None) -> DeskResult:
        for _ in range(TRIES):
            try:
                result = self._run(advocate, command, reply_to)
            except ConversationChanged:
                continue
            if reply_to is not None and result.kind not in WRITES_ITS_REPLY:
                self.store.remember_reply(*reply_to, result.replies)
            return result
        raise ConversationBusy()

    def _run(self, advocate: Advocate, command: Command, reply_to) -> DeskResult:
        if command.verb in ("claim", "release", "close", "booked") and not command.code:
            return self._say("need_code", command=command.verb.upper())
        if command.verb == "claim":
            return self.claim(advocate, command.code, reply_to)
        if command.verb == "release":
            return self.release(advocate, command.code, reply_to)
        if command.verb == "close":
            return self.close(advocate, command.code, reply_to, command.text)
        if command.verb == "say":
            return self.relay(advocate, command.code, command.text)
        if command.verb == "word":
            return set_safety_word(self, advocate, command.code, command.text)
        if command.verb == "booked":
            return place_booked(self, advocate, command.code)
        if command.verb == "list":
            return DeskResult("list", self.list(advocate))
        return self._say("help" if command.verb == "help" else "unknown_command")

    def claim(self, advocate: Advocate, code: str, reply_to=None) -> DeskResult:
        conv_key = self.store.conversation_for_code(code)
        conv = self.store.get(conv_key) if conv_key else None
        if conv is None or conv.case_code != code:
            return self._say("no_such_code", code=code)
        if conv.advocate == advocate.id:
            return self._say("already_yours", code=code)
        if conv.advocate:
            return self._say("held_by_other", code=code, name=conv.advocate_name)
        if not conv.has_open_request:
            return self._say("not_waiting", code=code)
        held = self.roster.load(advocate.id)
        if over_capacity(advocate, held, conv.priority):  # URGENT is always theirs to take
            return self._say("at_capacity", held=str(held), capacity=str(advocate.capacity))
        conv.advocate, conv.advocate_name, conv.claimed_at = advocate.id, advocate.first_name, self.clock()
        if conv.state != "quiet":
            conv.state = "with_advocate"
        head = ("claimed_quiet" if conv.state == "quiet" else "claimed" if conv.contact_ok
                else "claimed_no_consent")
        replies = [self.texts(head, code=code, name=advocate.first_name)] + self.summary(conv)
        write = self._change(conv, [WithdrawRequest()], f"claimed by {advocate.first_name}", replies, reply_to)
        self.store.write_hold(write, advocate.id, conv.key, held=True)
        self.messenger.claimed(conv, write)
        if head == "claimed":
            self.messenger.to_survivor(conv, introduction(self.engine, conv, advocate), "intro", write)
        self._apply(write)
        self._audit("claim", advocate, code)
        return DeskResult(head, replies)

    def relay(self, advocate: Advocate, code: str | None, text: str) -> DeskResult:
        conv, refusal = self._holding(advocate, code)
        if conv is None:
            return refusal
        reason = why_not_send(conv, "relay", conv.session, advocate.id, self.store.is_opted_out(conv.key))
        if reason:
            return self._say(not_sent_text(reason), code=conv.case_code)
        # The transcript entry names its outbound message: the console shows what became of it.
        message_id = new_message_id()
        self.store.append_log(conv.key, self.clock(), "advocate", text, name=advocate.first_name, out=message_id)
        self._audit("reply", advocate, conv.case_code)
        self.messenger.to_survivor(conv, text, "relay", message_id=message_id)
        return DeskResult("sent", [])

    def release(self, advocate: Advocate, code: str, reply_to=None) -> DeskResult:
        conv, refusal = self._holding(advocate, code)
        if conv is None:
            return refusal
        conv.advocate = conv.advocate_name = conv.claimed_at = None
        if conv.state == "with_advocate":
            conv.state = "waiting"
        replies = [self.texts("released", code=code)]
        write = self._change(conv, [RequestAdvocate(conv.priority)], f"released by {advocate.first_name}",
                             replies, reply_to)
        self.store.write_hold(write, advocate.id, conv.key, held=False)
        self.messenger.page(conv, urgent=conv.priority.value == "URGENT", write=write)
        self.messenger.schedule_escalation(conv, write=write)
        self._apply(write)
        self._audit("release", advocate, code)
        return DeskResult("released", replies)

    def close(self, advocate: Advocate, code: str, reply_to=None, words: str = "") -> DeskResult:
        conv, refusal = self._holding(advocate, code)
        if conv is None:
            return refusal
        outcomes = read_outcomes(words, self.outcomes)
        if outcomes is None:  # only codes are kept: a word that names none refuses the close
            return self._say("unknown_outcome", code=code, outcomes=example(self.outcomes),
                             items=", ".join(self.outcomes))
        closing_ok = conv.contact_ok and conv.state == "with_advocate" and not self.store.is_opted_out(conv.key)
        fresh = Conversation(key=conv.key, address=conv.address, lang=conv.lang, created_at=conv.created_at,
                             session=conv.session + 1, updated_at=self.clock(), version=conv.version)
        fresh.case_code = conv.case_code  # kept so a late CLOSE or #code still gets a clear answer
        carry_over(conv, fresh)
        kind = "closed" if closing_ok else "closed_silently"
        replies = [self.texts(kind, code=code)] + (
            [self.texts("closed_with", code=code, outcomes=", ".join(outcomes))] if outcomes else [])
        event = f"closed by {advocate.first_name}" + (f" ({', '.join(outcomes)})" if outcomes else "")
        write = self._change(fresh, [WithdrawRequest()], event, replies, reply_to)
        self.store.write_hold(write, advocate.id, conv.key, held=False)
        self.messenger.count(outcome_counts(outcomes), self.clock(), write)
        if closing_ok:
            self.messenger.to_survivor(fresh, self.engine.say("closing", conv.lang), "closing", write)
        self.messenger.cancel_escalation(conv, write)
        self._apply(write)
        self._audit("close", advocate, code, ", ".join(outcomes))
        return DeskResult(kind, replies)

    def transfer(self, advocate: Advocate, code: str, to: Advocate) -> DeskResult:
        """Hand a conversation one holds straight to another advocate; they get its summary by SMS."""
        if to.id == advocate.id:
            return self._say("already_yours", code=code)
        for _ in range(TRIES):
            try:
                return self._transfer(advocate, code, to)
            except ConversationChanged:
                continue
        raise ConversationBusy()

    def _transfer(self, advocate: Advocate, code: str, to: Advocate) -> DeskResult:
        conv, refusal = self._holding(advocate, code)
        if conv is None:
            return refusal
        conv.advocate, conv.advocate_name, conv.claimed_at = to.id, to.first_name, self.clock()
        write = self._change(conv, [], f"transferred by {advocate.first_name} to {to.first_name}")
        self.store.write_hold(write, advocate.id, conv.key, held=False)
        self.store.write_hold(write, to.id, conv.key, held=True)
        talking = conv.state == "with_advocate" and conv.contact_ok
        head = "claimed" if talking else "claimed_quiet" if conv.state == "quiet" else "claimed_no_consent"
        for part in [self.texts(head, code=code, name=to.first_name)] + self.summary(conv):
            self.messenger.to_advocate(to.id, part, "notice", conv, write)
        if talking:  # a warm handoff: the survivor hears who is with them now
            self.messenger.to_survivor(conv, introduction(self.engine, conv, to), "intro", write)
        self._apply(write)
        self._audit("transfer", advocate, code, f"to {to.id}")
        return DeskResult("transferred", [self.texts("held_by_other", code=code, name=to.first_name)])

    def list(self, advocate: Advocate) -> list[str]:
        now = self.clock()
        waiting = [f"{c.case_code} {c.priority.value} {c.lang} {c.area or '-'} {int((now - c.requested_at) // 60)}m"
                   for c in self.store.waiting_requests()]
        lines = [self.texts("list_waiting", items="; ".join(waiting)) if waiting else self.texts("list_none_waiting")]
        held = [c.case_code for c in self.store.holds(advocate.id)]
        if held:
            lines.append(self.texts("list_yours", codes=", ".join(held)))
        return split_parts("\n".join(lines))

    def summary(self, conv: Conversation) -> list[str]:
        """Priority, language, area, the answers so far and the last messages, in SMS-sized parts."""
        lines = [self.texts("summary_head", code=conv.case_code, priority=conv.priority.value, lang=conv.lang,
                            area=conv.area or "area not given")]
        if conv.answers:
            lines.append(self.texts("summary_answers", answers="; ".join(f"{k}: {v}" for k, v in conv.answers.items())))
        entries = [e for e in self.store.transcript(conv.key) if e["by"] in ("survivor", "bot", "advocate")]
        if entries:
            lines.append(self.texts("summary_last"))
            lines += [f"{'them' if e['by'] == 'survivor' else e['by']}: {e['text']}" for e in entries[-SUMMARY_MESSAGES:]]
        return split_parts("\n".join(lines))

    def _holding(self, advocate: Advocate, code: str | None) -> tuple[Conversation | None, DeskResult | None]:
        """The conversation a command is about, read again and still theirs; or None and why not."""
        held, refusal = self._held(advocate, code)
        if held is None:
            return None, refusal
        conv = self.store.get(held.key)
        if conv is None or conv.advocate != advocate.id:
            return None, self._say("not_yours", code=code or "That")
        return conv, None

    def _held(self, advocate: Advocate, code: str | None) -> tuple[Conversation | None, DeskResult | None]:
        """The conversation an advocate's command is about, or None and the line that says why not."""
        held = self.store.holds(advocate.id)
        if code is None:
            if len(held) == 1:
                return held[0], None
            if not held:
                return None, self._say("nothing_open")
            return None, self._say("which_one", codes=", ".join(c.case_code for c in held))
        for conv in held:
            if conv.case_code == code:
                return conv, None
        if self.store.conversation_for_code(code) is None:
            return None, self._say("no_such_code", code=code)
        return None, self._say("not_yours", code=code)

    def _say(self, kind: str, **values) -> DeskResult:
        return DeskResult(kind, [self.texts(kind, **values)])

    def _audit(self, event: str, advocate: Advocate, code: str | None, detail: str = "") -> None:
        if self.audit is not None:
            self.audit(event, advocate.id, code or "", detail)

    def _change(self, conv: Conversation, effects: list, event: str, replies: list[str] | None = None,
                reply_to: tuple[str, str] | None = None):
        """One write for the whole change: state, queue, the event line and, for a text, its reply."""
        write = self.store.begin(conv)
        self.store.write_state(write, conv)
        self.store.write_effects(write, conv, effects)
        self.store.write_log(write, conv.key, self.clock(), "event", event)
        if reply_to is not None:
            self.store.write_reply(write, *reply_to, replies or [])
        return write

    def _apply(self, write) -> None:
        if not self.store.apply(write):
            raise ConversationChanged()


# Commands whose reply is kept in the same write as their change (the rest remember it after).
WRITES_ITS_REPLY = frozenset({"claimed", "claimed_quiet", "claimed_no_consent", "released", "closed",
                              "closed_silently"})


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
