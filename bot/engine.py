"""The engine: (conversation, inbound message, now) → (new conversation, replies, effects). No I/O."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from bot.conversation import Conversation, Inbound, Outcome, TurnFacts
from bot.flow import Flow, Step, load_flow
from bot.flow_actions import FlowActions, clean_area
from bot.intents import Keywords
from bot.outreach import link_card, without_code
from bot.outreach_actions import OutreachActions
from bot.reading import Reader, note_danger
from bot.report_events import turn_counts
from bot.safety_word import said_in
from bot.turn import NOTHING_READ, Carrier, Turn
from bot.understanding import Reading, Understanding
from bot.wording import Wording

FLOWS_DIR = Path(__file__).resolve().parent.parent / "flows"
UNREADABLE_LIMIT = 2
# Words the survivor wrote that reach a state expecting free text (the area).
_FREE_TEXT_INTENTS = frozenset({"text", "choice_1", "choice_2", "choice_3", "choice_4", "yes", "start"})
_DIGIT_ANSWERS = {"choice_1": "yes", "choice_2": "no"}
RISK_QUESTIONS = {"danger_now": "danger now", "nowhere_safe": "somewhere safe to sleep tonight",
                  "under_18": "under 18", "hurt": "hurt or needs a doctor"}
# Intents that answer nothing: they never reset the count of unreadable answers.
_ASIDES = frozenset({"help"})
# Whole-message commands that come before the safety word (none of them can be one: bot/safety_word.py).
_BEFORE_SAFETY_WORD = frozenset({"stop", "start", "delete", "help"})

__all__ = ["FLOWS_DIR", "Engine", "Turn", "clean_area"]


class Engine(FlowActions, OutreachActions):
    """One compiled flow and its one shared Machine, built once per process."""

    def __init__(self, content, flows_dir: Path = FLOWS_DIR):
        self.understanding = Understanding.load(flows_dir / "understanding.yaml", flows_dir / "danger_model.json")
        self.flow: Flow = load_flow(flows_dir / "survivor.yaml", frozenset(self.understanding.meanings),
                                    frozenset(self.understanding.categories))
        self.keywords = Keywords.load(flows_dir / "keywords.yaml", content.org.quiet_words.values())
        self.content = content
        self.wording = Wording(self.flow.messages, content)
        self.messages = self.wording.messages
        self.reader = Reader(self.keywords, self.understanding, self.flow)
        self.machine = self.flow.compile(after=self._run_step)
        # add_model changes the Machine's list of models: one thread at a time. Free carriers wait in
        # _idle (list.pop and list.append are atomic).
        self._attach = threading.Lock()
        self._idle: list[Carrier] = []

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
            intent, reading = "safety_word", NOTHING_READ
        if conv.state == self.flow.initial and not conv.created_at:
            conv.lang = self.keywords.guess_language(body)
            conv.created_at = now
        conv.last_inbound_at = now
        turn = Turn(conv, inbound, now, [], [], facts, self.content.triage, reading)
        if reading.danger:
            note_danger(turn, intent)
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
        """The trigger one message is in the conversation's state, and what was read in it (bot/reading.py)."""
        return self.reader.read(body, num_media, conv)

    def say(self, key: str, lang: str, place_free_tonight: bool = False, channel: str = "sms") -> str:
        """A message in a language (bot/wording.py)."""
        return self.wording.say(key, lang, place_free_tonight, channel)

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

    def _carrier(self) -> "Carrier":
        """A model attached to the shared Machine for good, free for this turn: attaching one per turn
        (add_model/remove_model) cost a third of the step. There are as many as turns ever ran at once."""
        try:
            return self._idle.pop()
        except IndexError:
            carrier = Carrier()
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
