"""The engine: (conversation, inbound message, now) → (new conversation, replies, effects). No I/O."""
from __future__ import annotations

import dataclasses
import re
import threading
from pathlib import Path
from typing import Any

from bot.conversation import (
    AdvocateNotice, Conversation, EraseTranscript, Inbound, LiftOptOut, Outcome, Priority, RecordOptOut,
    RelayToAdvocate, RequestAdvocate, WithdrawRequest,
)
from bot.transcript import transcript_text
from bot.flow import Flow, Step, load_flow
from bot.intents import Keywords

FLOWS_DIR = Path(__file__).resolve().parent.parent / "flows"
UNREADABLE_LIMIT = 2
AREA_MAX = 40
# Words the survivor wrote that reach a state expecting free text (the area).
_FREE_TEXT_INTENTS = frozenset({"text", "choice_1", "choice_2", "choice_3", "yes", "start"})
# Intents that answer nothing: they never reset the count of unreadable answers.
_ASIDES = frozenset({"help"})
_NOT_AREA = re.compile(r"[\d#]+")


@dataclasses.dataclass
class Turn:
    """The model the shared Machine drives for one message; discarded afterwards."""

    conversation: Conversation
    inbound: Inbound
    now: float
    replies: list[str]
    effects: list[Any]

    @property
    def has_open_request(self) -> bool:
        return self.conversation.has_open_request

    @property
    def has_advocate(self) -> bool:
        return self.conversation.has_advocate

    # The Machine finds its models by equality: it must stay identity.
    __eq__ = object.__eq__
    __hash__ = object.__hash__


class Engine:
    """One compiled flow and its one shared Machine, built once per process."""

    def __init__(self, content, flows_dir: Path = FLOWS_DIR):
        self.flow: Flow = load_flow(flows_dir / "survivor.yaml")
        self.keywords = Keywords.load(flows_dir / "keywords.yaml", content.org.quiet_words.values())
        self.content = content
        self.messages = _render_all(self.flow.messages, content)
        self.machine = self.flow.compile(after=self._run_step)
        # add_model/remove_model change the Machine's list of models: one thread at a time.
        self._attach = threading.Lock()

    def step(self, conversation: Conversation, inbound: Inbound, now: float) -> Outcome:
        """Run one inbound message through the flow; the given conversation is not changed."""
        conv = dataclasses.replace(conversation, answers=dict(conversation.answers))
        previous = conv.state
        intent = self.keywords.classify(inbound.body, inbound.num_media)
        if conv.state == self.flow.initial and not conv.created_at:
            conv.lang = self.keywords.guess_language(inbound.body)
            conv.created_at = now
        turn = Turn(conv, inbound, now, [], [])
        self._dispatch(turn, intent)
        turn.conversation.updated_at = now  # `fresh` may have replaced the conversation
        return Outcome(turn.conversation, turn.replies, turn.effects, intent, previous)

    def say(self, key: str, lang: str) -> str:
        return self.messages[key][lang]

    def _dispatch(self, turn: Turn, intent: str) -> None:
        conv = turn.conversation
        triggers = self.flow.triggers_by_state[conv.state]
        if conv.state == "with_advocate" and intent in ("language_en", "language_es", "media"):
            intent = "text"  # words for the advocate, not for the bot
        if intent in ("language_en", "language_es"):
            return self._switch_language(turn, intent[-2:])
        if intent == "media":
            if conv.state != "opted_out":
                turn.replies.append(self.say("media", conv.lang))
            if "any" in triggers:
                self._fire(turn, "any")
            return
        if intent in triggers:
            trigger = intent
        elif intent in _FREE_TEXT_INTENTS and "text" in triggers:
            trigger = "text"
        elif "any" in triggers:
            trigger = "any"
        else:
            return self._unreadable(turn)
        if intent not in _ASIDES:
            conv.unreadable = 0
        self._fire(turn, trigger)

    def _switch_language(self, turn: Turn, lang: str) -> None:
        conv = turn.conversation
        if conv.state == "opted_out":
            return
        conv.lang = lang
        turn.replies.append(self.say("language_set", lang))
        prompt = self.flow.prompts[conv.state]
        if prompt and prompt != "holding":
            turn.replies.append(self.say(prompt, lang))
        elif "any" in self.flow.triggers_by_state[conv.state] and conv.state != "waiting":
            self._fire(turn, "any")

    def _unreadable(self, turn: Turn) -> None:
        conv = turn.conversation
        prompt = self.flow.prompts[conv.state]
        if prompt is None:
            return  # a state that asks nothing stays silent (opted out)
        conv.unreadable += 1
        if conv.unreadable >= UNREADABLE_LIMIT:
            conv.unreadable = 0
            self._fire(turn, "unreadable_twice")
        else:
            turn.replies += [self.say("unreadable", conv.lang), self.say(prompt, conv.lang)]

    def _fire(self, turn: Turn, trigger: str) -> None:
        with self._attach:
            self.machine.add_model(turn, initial=turn.conversation.state)
        try:
            self.machine.events[trigger].trigger(turn)
            turn.conversation.state = getattr(turn, "state")
        finally:
            with self._attach:
                self.machine.remove_model(turn)

    def _run_step(self, event, step: Step) -> None:
        turn: Turn = event.model
        conv = turn.conversation
        conv.answers.update(step.record)
        turn.replies += [self.say(key, conv.lang) for key in step.say]
        for name, value in step.actions:
            getattr(self, "_do_" + name)(turn, value)

    def _do_request_advocate(self, turn: Turn, value: str) -> None:
        conv = turn.conversation
        priority = Priority(value).at_least(conv.priority)
        if conv.advocate:  # already with a person: nothing to queue
            conv.priority = priority
            return
        if priority != conv.priority:
            conv.priority = priority
            conv.requested_at = conv.requested_at or turn.now
            turn.effects.append(RequestAdvocate(priority))

    def _do_withdraw_request(self, turn: Turn, _: Any) -> None:
        conv = turn.conversation
        if conv.priority is not None or conv.advocate is not None:
            conv.advocate = conv.advocate_name = conv.claimed_at = None
            conv.priority = None
            conv.requested_at = None
            turn.effects.append(WithdrawRequest())

    def _do_contact_ok(self, turn: Turn, value: bool) -> None:
        turn.conversation.contact_ok = value

    def _do_set_area(self, turn: Turn, _: Any) -> None:
        turn.conversation.area = clean_area(turn.inbound.body)

    def _do_hold(self, turn: Turn, _: Any) -> None:
        conv = turn.conversation
        interval = self.content.org.holding_interval.total_seconds()
        if conv.last_holding_at is None or turn.now - conv.last_holding_at >= interval:
            conv.last_holding_at = turn.now
            turn.replies.append(self.say("holding", conv.lang))

    def _do_erase(self, turn: Turn, _: Any) -> None:
        turn.conversation.answers = {}
        turn.conversation.area = None
        turn.effects.append(EraseTranscript())

    def _do_opt_out(self, turn: Turn, _: Any) -> None:
        turn.effects.append(RecordOptOut())

    def _do_opt_in(self, turn: Turn, _: Any) -> None:
        turn.effects.append(LiftOptOut())

    def _do_fresh(self, turn: Turn, _: Any) -> None:
        old = turn.conversation
        turn.conversation = Conversation(key=old.key, address=old.address, lang=old.lang, created_at=old.created_at,
                                         session=old.session + 1)
        turn.conversation.state = old.state

    def _do_relay(self, turn: Turn, _: Any) -> None:
        turn.effects.append(RelayToAdvocate(transcript_text(turn.inbound)))

    def _do_relay_danger(self, turn: Turn, _: Any) -> None:
        turn.conversation.priority = Priority.URGENT
        turn.effects.append(RelayToAdvocate(transcript_text(turn.inbound), danger=True))

    def _do_tell_advocate(self, turn: Turn, event: str) -> None:
        if turn.conversation.advocate:
            turn.effects.append(AdvocateNotice(turn.conversation.advocate, event, turn.conversation.case_code))

    def _do_resources(self, turn: Turn, _: Any) -> None:
        conv = turn.conversation
        turn.replies.append("\n".join(self.content.resources[conv.lang]))


def clean_area(text: str) -> str | None:
    """Keep a general area only: no digits (street numbers, phone numbers), short."""
    area = " ".join(_NOT_AREA.sub(" ", text).split()).strip(" ,.;:-")
    return area[:AREA_MAX].strip() or None


_ORG_WITH = {"en": " with {}", "es": " de {}"}


class _KeepUnknown(dict):
    """Fill the placeholders config knows; leave per-message ones ({advocate}) for later."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _render_all(messages: dict[str, dict[str, str]], content) -> dict[str, dict[str, str]]:
    org = content.org
    rendered: dict[str, dict[str, str]] = {}
    for key, texts in messages.items():
        rendered[key] = {
            lang: text.format_map(_KeepUnknown(
                emergency=org.emergency_number, hotline_call=org.hotline_call, hotline_text=org.hotline_text,
                quiet=org.quiet_words[lang], org="" if org.discreet else org.name,
                # Discreet mode: the organisation's name never reaches a survivor's screen.
                org_with="" if org.discreet else _ORG_WITH[lang].format(org.name),
            ))
            for lang, text in texts.items()
        }
    return rendered
