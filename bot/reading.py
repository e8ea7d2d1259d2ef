"""What one message is, in the conversation's state: a command, danger, an answer, a digit, or text."""
from __future__ import annotations

from bot.conversation import Conversation, Priority
from bot.flow import Flow
from bot.intents import Keywords
from bot.transcript import transcript_text
from bot.turn import NOTHING_READ, Turn
from bot.understanding import POSSIBLE_DANGER, Reading, Understanding

# Needs a person may name beside danger ("he hit me and i need a place tonight"): kept on the request.
NEED_LABELS = {"place": "a safe place tonight", "food": "food", "medical": "medical care", "legal": "legal help",
               "immigration": "immigration help"}
NEED_SAID_BY_DANGER = {"immigration": {"documents", "immigration_threat"}, "legal": {"immigration_threat"},
                       "medical": {"violence"}, "food": {"forced_work", "confinement"}}
DANGER_SIGNALS_KEPT = 20
SIGNAL_TEXT_MAX = 300


class Reader:
    def __init__(self, keywords: Keywords, understanding: Understanding, flow: Flow):
        self.keywords = keywords
        self.understanding = understanding
        self.flow = flow

    def read(self, body: str, num_media: int = 0, conv: Conversation | None = None) -> tuple[str, Reading]:
        """The trigger one message is in the conversation's state, and what was read in it.

        Without a conversation, what the message says anywhere (danger, quiet, stop…), for the edges.
        """
        command = self.keywords.command(body, num_media)
        if command:
            return command, NOTHING_READ
        reading = self.understanding.read(body)
        whole = self.keywords.whole_answer(body)
        meanings = reading.meanings | {whole} if whole in ("yes", "no") else reading.meanings
        state = conv.state if conv else ""  # no state is named ""
        answer = next((t for t, wanted in self.flow.answers.get(state, ()) if meanings & wanted), None)
        digit = whole if whole and whole.startswith("choice_") else self.keywords.leading_choice(body)
        if reading.danger:
            if "quiet" in meanings:
                return "danger_quiet", reading
            expected = self.flow.expects.get(state, frozenset())
            # The danger the question asks about ("tengo 15" to "under 18?"), or the backstop unsure beside an answer
            # to a question about danger ("my arm, he broke it" to "are you hurt?"): the answer, which escalates.
            if answer and (set(reading.categories) <= expected or reading.categories == (POSSIBLE_DANGER,)
                           and not expected.isdisjoint(self.understanding.categories)):
                return answer, reading
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


def note_danger(turn: Turn, intent: str) -> None:
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
