"""The advocates' desk: CLAIM, relay, RELEASE, CLOSE, LIST and HELP texted from an advocate's own phone."""
from __future__ import annotations

import logging
import time
import uuid
from contextlib import contextmanager
from typing import Callable, Iterator

from bot.advocates import Advocate, AdvocateTexts, Command, parse_command
from bot.contact_rules import not_sent_text, why_not_send
from bot.conversation import Conversation, Inbound, RequestAdvocate, WithdrawRequest

log = logging.getLogger(__name__)
SMS_PART = 300  # two SMS segments: an advocate's summary arrives in parts of about this size
SUMMARY_MESSAGES = 6


class AdvocateDesk:
    def __init__(self, store, roster, messenger, texts: AdvocateTexts, engine, clock: Callable[[], float] = time.time,
                 audit: Callable[..., None] | None = None):
        self.store = store
        self.roster = roster
        self.messenger = messenger
        self.texts = texts
        self.engine = engine
        self.clock = clock
        # audit(event, advocate_id, code, detail): the app writes it to the audit stream; None in pure tests.
        self.audit = audit

    def handle_locked(self, advocate: Advocate, inbound: Inbound, own_key: str) -> list[str]:
        """Run one text from an advocate, under the lock the service holds on their number's key.

        The replies go back to them and are kept with the MessageSid, so a retry runs nothing twice.
        """
        command = parse_command(inbound.body)
        replies = self.run(advocate, command)
        self.store.remember_reply(own_key, inbound.sid, replies)
        log.info("advocate command=%s replies=%s", command.verb, len(replies))
        return replies

    def run(self, advocate: Advocate, command: Command) -> list[str]:
        if command.verb in ("claim", "release", "close") and not command.code:
            return [self.texts("need_code", command=command.verb.upper())]
        if command.verb == "claim":
            return self.claim(advocate, command.code)
        if command.verb == "release":
            return self.release(advocate, command.code)
        if command.verb == "close":
            return self.close(advocate, command.code)
        if command.verb == "say":
            return self.relay(advocate, command.code, command.text)
        if command.verb == "list":
            return self.list(advocate)
        return [self.texts("help" if command.verb == "help" else "unknown_command")]

    def claim(self, advocate: Advocate, code: str) -> list[str]:
        conv_key = self.store.conversation_for_code(code)
        if conv_key is None:
            return [self.texts("no_such_code", code=code)]
        with self.store.locked(conv_key):
            conv = self.store.get(conv_key)
            if conv is None or conv.case_code != code:
                return [self.texts("no_such_code", code=code)]
            if conv.advocate == advocate.id:
                return [self.texts("already_yours", code=code)]
            if conv.advocate:
                return [self.texts("held_by_other", code=code, name=conv.advocate_name)]
            if not conv.has_open_request:
                return [self.texts("not_waiting", code=code)]
            conv.advocate, conv.advocate_name, conv.claimed_at = advocate.id, advocate.first_name, self.clock()
            if conv.state != "quiet":
                conv.state = "with_advocate"
            self._write(conv, [WithdrawRequest()], f"claimed by {advocate.first_name}")
            self.store.add_hold(advocate.id, conv.key)
        self._audit("claim", advocate, code)
        self.messenger.claimed(conv)
        if conv.state == "quiet":
            head = "claimed_quiet"
        elif conv.contact_ok:
            intro = self.engine.say("advocate_intro", conv.lang).replace("{advocate}", advocate.first_name)
            self.messenger.to_survivor(conv, intro, "intro")
            head = "claimed"
        else:
            head = "claimed_no_consent"
        return [self.texts(head, code=code, name=advocate.first_name)] + self.summary(conv)

    def relay(self, advocate: Advocate, code: str | None, text: str) -> list[str]:
        with self._holding(advocate, code) as (conv, refusal):
            if conv is None:
                return [refusal]
            reason = why_not_send(conv, "relay", conv.session, advocate.id, self.store.is_opted_out(conv.key))
            if reason:
                return [self.texts(not_sent_text(reason), code=conv.case_code)]
            # The transcript entry names its outbound message: the console shows what became of it.
            message_id = new_message_id()
            self.store.append_log(conv.key, self.clock(), "advocate", text, name=advocate.first_name, out=message_id)
        self._audit("reply", advocate, conv.case_code)
        self.messenger.to_survivor(conv, text, "relay", message_id=message_id)
        return []

    def release(self, advocate: Advocate, code: str) -> list[str]:
        with self._holding(advocate, code) as (conv, refusal):
            if conv is None:
                return [refusal]
            conv.advocate = conv.advocate_name = conv.claimed_at = None
            if conv.state == "with_advocate":
                conv.state = "waiting"
            self._write(conv, [RequestAdvocate(conv.priority)], f"released by {advocate.first_name}")
            self.store.drop_hold(advocate.id, conv.key)
        self._audit("release", advocate, code)
        self.messenger.page(conv, urgent=conv.priority.value == "URGENT")
        self.messenger.schedule_escalation(conv)
        return [self.texts("released", code=code)]

    def close(self, advocate: Advocate, code: str) -> list[str]:
        with self._holding(advocate, code) as (conv, refusal):
            if conv is None:
                return [refusal]
            closing_ok = (conv.contact_ok and conv.state == "with_advocate"
                          and not self.store.is_opted_out(conv.key))
            fresh = Conversation(key=conv.key, address=conv.address, lang=conv.lang, created_at=conv.created_at,
                                 session=conv.session + 1, updated_at=self.clock())
            fresh.case_code = conv.case_code  # kept so a late CLOSE or #code still gets a clear answer
            self._write(fresh, [WithdrawRequest()], f"closed by {advocate.first_name}")
            self.store.drop_hold(advocate.id, conv.key)
        self._audit("close", advocate, code)
        self.messenger.cancel_escalation(conv)
        if closing_ok:
            self.messenger.to_survivor(fresh, self.engine.say("closing", conv.lang), "closing")
        return [self.texts("closed" if closing_ok else "closed_silently", code=code)]

    def transfer(self, advocate: Advocate, code: str, to: Advocate) -> list[str]:
        """Hand a conversation one holds straight to another advocate; they get its summary by SMS."""
        if to.id == advocate.id:
            return [self.texts("already_yours", code=code)]
        with self._holding(advocate, code) as (conv, refusal):
            if conv is None:
                return [refusal]
            conv.advocate, conv.advocate_name, conv.claimed_at = to.id, to.first_name, self.clock()
            self._write(conv, [], f"transferred by {advocate.first_name} to {to.first_name}")
            self.store.drop_hold(advocate.id, conv.key)
            self.store.add_hold(to.id, conv.key)
        self._audit("transfer", advocate, code, f"to {to.id}")
        talking = conv.state == "with_advocate" and conv.contact_ok
        head = "claimed" if talking else "claimed_quiet" if conv.state == "quiet" else "claimed_no_consent"
        for part in [self.texts(head, code=code, name=to.first_name)] + self.summary(conv):
            self.messenger.to_advocate(to.id, part, "notice", conv)
        if talking:  # a warm handoff: the survivor hears who is with them now
            intro = self.engine.say("advocate_intro", conv.lang).replace("{advocate}", to.first_name)
            self.messenger.to_survivor(conv, intro, "intro")
        return [self.texts("held_by_other", code=code, name=to.first_name)]

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

    @contextmanager
    def _holding(self, advocate: Advocate, code: str | None) -> Iterator[tuple[Conversation | None, str]]:
        """The conversation a command is about, read again under its lock and still theirs; or None and
        the one line that says why not."""
        held, refusal = self._held(advocate, code)
        if held is None:
            yield None, refusal
            return
        with self.store.locked(held.key):
            conv = self.store.get(held.key)
            if conv is None or conv.advocate != advocate.id:
                yield None, self.texts("not_yours", code=code or "That")
            else:
                yield conv, ""

    def _held(self, advocate: Advocate, code: str | None) -> tuple[Conversation | None, str]:
        """The conversation an advocate's command is about, or None and the line that says why not."""
        held = self.store.holds(advocate.id)
        if code is None:
            if len(held) == 1:
                return held[0], ""
            if not held:
                return None, self.texts("nothing_open")
            return None, self.texts("which_one", codes=", ".join(c.case_code for c in held))
        for conv in held:
            if conv.case_code == code:
                return conv, ""
        if self.store.conversation_for_code(code) is None:
            return None, self.texts("no_such_code", code=code)
        return None, self.texts("not_yours", code=code)

    def _audit(self, event: str, advocate: Advocate, code: str | None, detail: str = "") -> None:
        if self.audit is not None:
            self.audit(event, advocate.id, code or "", detail)

    def _write(self, conv: Conversation, effects: list, event: str) -> None:
        self.store.save(conv)
        self.store.apply_effects(conv, effects)
        self.store.append_log(conv.key, self.clock(), "event", event)


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
