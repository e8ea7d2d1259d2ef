"""The engine: (conversation, inbound message, now) → (new conversation, replies, effects). No I/O."""
from __future__ import annotations

import dataclasses
import re
import threading
from pathlib import Path
from typing import Any

from bot.conversation import (
    AdvocateNotice, Conversation, EraseTranscript, Inbound, LiftOptOut, Outcome, Priority, RecordOptOut,
    RelayToAdvocate, RequestAdvocate, TurnFacts, WithdrawRequest,
)
from bot.transcript import transcript_text
from bot.flow import Flow, Step, load_flow
from bot.intents import Keywords
from bot.outreach import carry_over, forget_everything_carried, link_card, without_code
from bot.outreach_actions import OutreachActions
from bot.report_events import turn_counts
from bot.safety_word import said_in
from bot.understanding import Reading, Understanding

FLOWS_DIR = Path(__file__).resolve().parent.parent / "flows"
UNREADABLE_LIMIT = 2
AREA_MAX = 40
# Words the survivor wrote that reach a state expecting free text (the area).
_FREE_TEXT_INTENTS = frozenset({"text", "choice_1", "choice_2", "choice_3", "choice_4", "yes", "start"})
_DIGIT_ANSWERS = {"choice_1": "yes", "choice_2": "no"}
_NOTHING_READ = Reading()
# Needs a person may name beside danger ("he hit me and i need a place tonight"): kept on the request.
NEED_LABELS = {"place": "a safe place tonight", "food": "food", "medical": "medical care", "legal": "legal help",
               "immigration": "immigration help"}
NEED_SAID_BY_DANGER = {"immigration": {"documents", "immigration_threat"}, "legal": {"immigration_threat"},
                       "medical": {"violence"}, "food": {"forced_work", "confinement"}}
DANGER_SIGNALS_KEPT = 20
SIGNAL_TEXT_MAX = 300
RISK_QUESTIONS = {"danger_now": "danger now", "nowhere_safe": "somewhere safe to sleep tonight",
                  "under_18": "under 18", "hurt": "hurt or needs a doctor"}
# Intents that answer nothing: they never reset the count of unreadable answers.
_ASIDES = frozenset({"help"})
_NOT_AREA = re.compile(r"[\d#]+")
# Whole-message commands that come before the safety word (none of them can be one: bot/safety_word.py).
_BEFORE_SAFETY_WORD = frozenset({"stop", "start", "delete", "help"})


class _Carrier:
    """What the shared Machine drives: its `state`, and the flow's conditions read from the turn it carries."""

    def __init__(self):
        self.turn: Turn | None = None
        self.state = ""

    def __getattr__(self, name: str):
        return getattr(self.turn, name)


@dataclasses.dataclass
class Turn:
    """One message's run through the flow, carried through the shared Machine; discarded afterwards."""

    conversation: Conversation
    inbound: Inbound
    now: float
    replies: list[str]
    effects: list[Any]
    facts: TurnFacts
    triage: Any
    reading: Reading = _NOTHING_READ

    @property
    def has_open_request(self) -> bool:
        return self.conversation.has_open_request

    @property
    def has_advocate(self) -> bool:
        return self.conversation.has_advocate

    @property
    def after_hours(self) -> bool:
        return not self.facts.staffed

    @property
    def safe_place_tonight(self) -> bool:
        return bool(self.facts.safe_place_tonight)

    @property
    def can_check_in(self) -> bool:
        """Asked once a session, and only by SMS: a web chat's tab is gone, and WhatsApp won't carry it."""
        return self.conversation.channel == "sms" and not self.conversation.checkin_asked

    @property
    def triage_urgent(self) -> bool:
        return self.triage.priority(set(self.conversation.risks)) == "URGENT"

    @property
    def triage_high(self) -> bool:
        return self.triage.priority(set(self.conversation.risks)) == "HIGH"

    # The Machine finds its models by equality: it must stay identity.
    __eq__ = object.__eq__
    __hash__ = object.__hash__


class Engine(OutreachActions):
    """One compiled flow and its one shared Machine, built once per process."""

    def __init__(self, content, flows_dir: Path = FLOWS_DIR):
        self.understanding = Understanding.load(flows_dir / "understanding.yaml", flows_dir / "danger_model.json")
        self.flow: Flow = load_flow(flows_dir / "survivor.yaml", frozenset(self.understanding.meanings),
                                    frozenset(self.understanding.categories))
        self.keywords = Keywords.load(flows_dir / "keywords.yaml", content.org.quiet_words.values())
        self.content = content
        self.messages = _render_all(self.flow.messages, content)
        self.machine = self.flow.compile(after=self._run_step)
        # add_model changes the Machine's list of models: one thread at a time. Free carriers wait in
        # _idle (list.pop and list.append are atomic).
        self._attach = threading.Lock()
        self._idle: list[_Carrier] = []

    def step(self, conversation: Conversation, inbound: Inbound, now: float,
             facts: TurnFacts = TurnFacts()) -> Outcome:
        """Run one inbound message through the flow; the given conversation is not changed."""
        conv = conversation.copy()
        previous = conv.state
        body = inbound.body
        if facts.card is not None:  # the card's code is not part of what they said to the bot
            link_card(conv, facts.card)
            body = without_code(body, facts.card.code)
        intent, reading = self.read(body, inbound.num_media, conv)
        if facts.safety_word and intent not in _BEFORE_SAFETY_WORD and said_in(inbound.body, facts.safety_word):
            intent, reading = "safety_word", _NOTHING_READ
        if conv.state == self.flow.initial and not conv.created_at:
            conv.lang = self.keywords.guess_language(body)
            conv.created_at = now
        conv.last_inbound_at = now
        turn = Turn(conv, inbound, now, [], [], facts, self.content.triage, reading)
        if reading.danger:
            _note_danger(turn, intent)
        if facts.card is not None and not body and intent != "safety_word" and conv.state != self.flow.initial:
            self._card_alone(turn)
        else:
            self._dispatch(turn, intent)
        turn.conversation.updated_at = now  # `fresh` may have replaced the conversation
        outcome = Outcome(turn.conversation, turn.replies, turn.effects, intent, previous)
        outcome.counts = tuple(turn_counts(conversation, outcome, now))
        outcome.conversation.checkin_sent_at = None  # answered (counted above): counted once
        return outcome

    def _card_alone(self, turn: Turn) -> None:
        """A card code alone mid-conversation: linked, and the question they were at asked again."""
        prompt = self.flow.prompts[turn.conversation.state]
        if prompt and prompt != "holding":
            turn.replies.append(self._text(prompt, turn))

    def read(self, body: str, num_media: int = 0, conv: Conversation | None = None) -> tuple[str, Reading]:
        """The trigger one message is in the conversation's state, and what was read in it.

        Without a conversation, what the message says anywhere (danger, quiet, stop…), for the edges.
        """
        command = self.keywords.command(body, num_media)
        if command:
            return command, _NOTHING_READ
        reading = self.understanding.read(body)
        whole = self.keywords.whole_answer(body)
        meanings = reading.meanings | {whole} if whole in ("yes", "no") else reading.meanings
        state = conv.state if conv else None
        answer = next((t for t, wanted in self.flow.answers.get(state, ()) if meanings & wanted), None)
        digit = whole if whole and whole.startswith("choice_") else self.keywords.leading_choice(body)
        if reading.danger:
            if "quiet" in meanings:
                return "danger_quiet", reading
            if answer and set(reading.categories) <= self.flow.expects.get(state, frozenset()):
                return answer, reading  # the danger the question asks about ("tengo 15" to "under 18?")
            if conv is not None and conv.priority is Priority.URGENT:
                # Already urgent: an answer to the question still counts; the danger is noted for the advocate.
                chosen = answer or digit or ("text" if "text" in self.flow.triggers_by_state[state] else None)
                if chosen:
                    return chosen, reading
            return "danger", reading
        for name in ("quiet", "ask_person"):
            if name in meanings:
                return (answer if answer and name in self.flow.expects.get(state, ()) else name), reading
        if digit:
            # After hours a lone 2 is "in danger" in every question, as in the first one.
            alone = whole is not None and whole.startswith("choice_")
            return ("danger" if alone and self.flow.danger_digits.get(state) == digit[-1] else digit), reading
        return answer or whole or "text", reading

    def say(self, key: str, lang: str, place_free_tonight: bool = False, channel: str = "sms") -> str:
        """A message in a language; {tonight} says a safe place is free tonight when the shelters say so,
        {here} where an advocate will write to them (this number, or this chat on the web)."""
        text = self.messages[key][lang]
        if "{tonight}" in text:
            free = " " + self.messages["place_free_tonight"][lang] if place_free_tonight else ""
            text = text.replace("{tonight}", free)
        if "{here}" in text:
            text = text.replace("{here}", _HERE[channel == "web"][lang])
        return text

    def _text(self, key: str, turn: Turn) -> str:
        conv = turn.conversation
        return self.say(key, conv.lang, bool(turn.facts.safe_place_tonight), conv.channel)

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
        if (intent in _DIGIT_ANSWERS and intent not in triggers and _DIGIT_ANSWERS[intent] in triggers
                and conv.state not in self.flow.danger_digits):
            intent = _DIGIT_ANSWERS[intent]  # a YES/NO question takes 1 for yes and 2 for no as well
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
        if trigger in ("yes", "no") and conv.state in self.flow.risks:
            self._note_risk(conv, trigger)
        self._fire(turn, trigger)

    def _note_risk(self, conv: Conversation, answer: str) -> None:
        """Before the transition runs, so its conditions (triage_urgent, …) see this answer too."""
        risk, meaning = self.flow.risks[conv.state]
        conv.risks = [r for r in conv.risks if r != risk] + ([risk] if answer == meaning else [])
        conv.answers[RISK_QUESTIONS[risk]] = answer  # for the advocate's summary

    def _switch_language(self, turn: Turn, lang: str) -> None:
        conv = turn.conversation
        if conv.state == "opted_out":
            return
        conv.lang = lang
        turn.replies.append(self.say("language_set", lang))
        prompt = self.flow.prompts[conv.state]
        if prompt and prompt != "holding":
            turn.replies.append(self._text(prompt, turn))
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
            turn.replies += [self.say("unreadable", conv.lang), self._text(prompt, turn)]

    def _fire(self, turn: Turn, trigger: str) -> None:
        carrier = self._carrier()
        carrier.turn, carrier.state = turn, turn.conversation.state
        try:
            self.machine.events[trigger].trigger(carrier)
            turn.conversation.state = carrier.state
        finally:
            carrier.turn = None
            self._idle.append(carrier)

    def _carrier(self) -> "_Carrier":
        """A model attached to the shared Machine for good, free for this turn: attaching one per turn
        (add_model/remove_model) cost a third of the step. There are as many as turns ever ran at once."""
        try:
            return self._idle.pop()
        except IndexError:
            carrier = _Carrier()
            with self._attach:
                self.machine.add_model(carrier)
            return carrier

    def _run_step(self, event, step: Step) -> None:
        turn: Turn = event.model.turn
        conv = turn.conversation
        conv.answers.update(step.record)
        turn.replies += [self._text(key, turn) for key in step.say]
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
            conv.after_hours = conv.after_hours or turn.after_hours
            turn.effects.append(RequestAdvocate(priority, after_hours=turn.after_hours))

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
            turn.replies.append(self._text("holding", turn))

    def _do_erase(self, turn: Turn, _: Any) -> None:
        turn.conversation.answers = {}
        turn.conversation.area = None
        turn.conversation.danger_signals = []
        # Who they met, a check-in and the safety word go too: only counts that name nobody stay.
        forget_everything_carried(turn.conversation)
        turn.effects.append(EraseTranscript())  # the commit erases the safety word's key with the rest

    def _do_opt_out(self, turn: Turn, _: Any) -> None:
        turn.effects.append(RecordOptOut())

    def _do_opt_in(self, turn: Turn, _: Any) -> None:
        turn.effects.append(LiftOptOut())

    def _do_fresh(self, turn: Turn, _: Any) -> None:
        old = turn.conversation
        turn.conversation = Conversation(key=old.key, address=old.address, lang=old.lang, created_at=old.created_at,
                                         session=old.session + 1, last_inbound_at=old.last_inbound_at)
        carry_over(old, turn.conversation)
        turn.conversation.state = old.state

    def _do_relay(self, turn: Turn, _: Any) -> None:
        turn.effects.append(RelayToAdvocate(transcript_text(turn.inbound)))

    def _do_relay_danger(self, turn: Turn, _: Any) -> None:
        turn.conversation.priority = Priority.URGENT
        turn.effects.append(RelayToAdvocate(transcript_text(turn.inbound), danger=True))

    def _do_tell_advocate(self, turn: Turn, event: str) -> None:
        if turn.conversation.advocate:
            turn.effects.append(AdvocateNotice(turn.conversation.advocate, event, turn.conversation.case_code))

    def _do_promise_silence(self, turn: Turn, _: Any) -> None:
        turn.conversation.silence_promised = True

    def _do_youth_line(self, turn: Turn, _: Any) -> None:
        if "under_18" in turn.conversation.risks:
            turn.replies.append(self.content.triage.youth_line[turn.conversation.lang])

    def _do_book(self, turn: Turn, window: str) -> None:
        """Queue a NORMAL request for the time they chose; nobody is paged or texted before it."""
        conv = turn.conversation
        conv.window, conv.window_from = window, turn.facts.window_opens.get(window)
        if conv.priority is None:
            conv.priority, conv.requested_at, conv.after_hours = Priority.NORMAL, turn.now, True
            turn.effects.append(RequestAdvocate(Priority.NORMAL, after_hours=True, booked=True))

    def _do_resources(self, turn: Turn, _: Any) -> None:
        """The lines for what they named (food, medical…), or every line when they named none."""
        conv = turn.conversation
        by_need = self.content.resources_by_need[conv.lang]
        named = [by_need[n] for n in NEED_LABELS if n in turn.reading.meanings and n in by_need]
        turn.replies.append("\n".join(dict.fromkeys(line for lines in named for line in lines))
                            if named else "\n".join(self.content.resources[conv.lang]))


def _note_danger(turn: Turn, intent: str) -> None:
    """Keep which danger categories this message raised, with the message, for the advocate's screen."""
    conv = turn.conversation
    said = transcript_text(turn.inbound)[:SIGNAL_TEXT_MAX]
    conv.danger_signals = (conv.danger_signals + [
        {"category": c, "said": said, "at": turn.now} for c in turn.reading.categories])[-DANGER_SIGNALS_KEPT:]
    raised = set(turn.reading.categories)
    # A need read in the danger's own words is not a need ("they took my passport" is not "immigration help").
    needs = [label for need, label in NEED_LABELS.items()
             if need in turn.reading.meanings and not raised & NEED_SAID_BY_DANGER.get(need, set())]
    if needs and intent in ("danger", "danger_quiet"):
        conv.answers["also needs"] = ", ".join(needs)


def clean_area(text: str) -> str | None:
    """Keep a general area only: no digits (street numbers, phone numbers), short."""
    area = " ".join(_NOT_AREA.sub(" ", text).split()).strip(" ,.;:-")
    return area[:AREA_MAX].strip() or None


_ORG_WITH = {"en": " with {}", "es": " de {}"}
# Where an advocate will write: (SMS and WhatsApp, web chat).
_HERE = ({"en": "from this same number", "es": "desde este mismo número"},
         {"en": "here in this chat", "es": "aquí en este chat"})


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
                safety_word_reply=org.safety_word_reply[lang],
                after_hours_notice=content.hours.notice[lang],
            ))
            for lang, text in texts.items()
        }
    return rendered
