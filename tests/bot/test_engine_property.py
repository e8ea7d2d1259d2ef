"""Properties of the engine over any message in any state: it never breaks, and the safety rules hold."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.conversation import Conversation, Inbound, Outcome, Priority
from bot.engine import Engine
from config.content import load_content

ENGINE = Engine(load_content(Path(__file__).resolve().parents[2] / "config"))
STATES = sorted(ENGINE.flow.prompts)
ADDRESS = "+15555550101"
SAFETY_NUMBERS = ("911", "1-888-373-7888", "233733")
WORDS = [
    "STOP", "stop", "START", "HELP", "INFO", "DELETE", "BORRAR", "QUIET", "SILENCIO", "ES", "EN", "1", "2", "3",
    "yes", "si", "no", "hola", "hello", "he hit me", "me pega", "can I talk to someone", "humano", "I can't talk",
    "Long Beach", "", "zzz",
]
ODD = ["\x00", "\u200b", "\u202e", "\ufeff", "\u0623\u0646\u0627 \u0641\u064a \u062e\u0637\u0631",
       "\u05d0\u05e0\u05d9 \u05e6\u05e8\u05d9\u05db\u05d4 \u05e2\u05d6\u05e8\u05d4", "\u200fhe hit me\u200f",
       "x" * 20_000, "he hit me " * 2_000, "\U0001F642" * 5_000]
bodies = st.one_of(
    st.text(),
    st.sampled_from(WORDS + ODD),
    st.text(alphabet=st.characters(min_codepoint=0x0590, max_codepoint=0x06FF)),  # Hebrew and Arabic
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=5).map(" ".join),
)
media_counts = st.integers(min_value=0, max_value=10)


@st.composite
def conversations(draw) -> Conversation:
    state = draw(st.sampled_from(STATES))
    return Conversation(
        key="k", address=ADDRESS, state=state, lang=draw(st.sampled_from(("en", "es"))),
        priority=draw(st.none() | st.sampled_from(Priority)), contact_ok=draw(st.booleans()),
        unreadable=draw(st.integers(0, 1)), last_holding_at=draw(st.none() | st.floats(0, 2_000)),
        created_at=draw(st.sampled_from((0.0, 500.0))) if state == "new" else 500.0,
    )


@settings(max_examples=200, deadline=None)
@given(conv=conversations(), body=bodies, media=media_counts)
def test_any_message_in_any_state_never_breaks(conv, body, media):
    before = dataclasses.replace(conv, answers=dict(conv.answers))
    outcome = ENGINE.step(conv, Inbound("SM1", ADDRESS, body, media), 2_000.0)
    assert outcome.conversation.state in ENGINE.flow.prompts
    assert all(isinstance(reply, str) and reply.strip() for reply in outcome.replies)
    assert conv == before, "step must not change the conversation it was given"
    if conv.state == "opted_out" and outcome.intent != "start":
        assert outcome.replies == []


def check_turn(before: Conversation, outcome: Outcome) -> None:
    after, said = outcome.conversation, " ".join(outcome.replies)
    assert after.state in ENGINE.flow.prompts
    if before.state == "opted_out":
        assert outcome.replies == [] or outcome.intent == "start", "an opted-out number gets nothing but START"
        return
    if outcome.intent == "danger":
        assert "911" in said and after.priority == Priority.URGENT
    if outcome.intent == "stop":
        assert (outcome.replies, after.state, after.contact_ok) == ([], "opted_out", False)
    if outcome.intent == "quiet":
        assert not after.contact_ok and after.state == "quiet"
    if outcome.intent == "danger_quiet":  # the one exception to rule 1: someone may be reading over their shoulder
        assert outcome.replies in ([], [ENGINE.say("danger_quiet", after.lang)]) and not after.contact_ok
        assert after.priority == Priority.URGENT and after.state == "quiet"
        return
    if before.state == ENGINE.flow.initial and not before.created_at and outcome.intent not in ("stop", "quiet", "delete"):
        assert all(number in said for number in SAFETY_NUMBERS), "the first reply names 911 and the hotline"
    if before.priority and after.priority:
        assert after.priority.rank <= before.priority.rank, "a request is never lowered"


@settings(max_examples=200, deadline=None)
@given(messages=st.lists(st.tuples(bodies, st.integers(0, 2)), min_size=1, max_size=15))
def test_any_sequence_of_messages_keeps_the_safety_rules(messages):
    conv = Conversation(key="k", address=ADDRESS)
    for number, (body, media) in enumerate(messages):
        outcome = ENGINE.step(conv, Inbound(f"SM{number}", ADDRESS, body, media), 1_000.0 + 90 * number)
        check_turn(conv, outcome)
        conv = outcome.conversation
