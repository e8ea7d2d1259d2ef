"""What the engine is told each turn: staffed or not, a safe place free tonight."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.conversation import Conversation, Inbound, TurnFacts
from bot.engine import Engine
from bot.facts import LineFacts
from config.content import load_content

CONTENT = load_content(Path(__file__).resolve().parents[2] / "config")
ENGINE = Engine(CONTENT)
LA = ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize("lang, body, sentence", [("en", "he has a gun", "A place is free tonight."),
                                                  ("es", "tiene un arma", "Hay un lugar libre esta noche.")])
def test_the_danger_reply_says_when_a_safe_place_is_free_tonight(lang, body, sentence):
    conv = Conversation(key="k", address="+15555550191", state="safety_check", lang=lang, created_at=1.0)
    free = ENGINE.step(conv, Inbound("SM1", conv.address, body), 100.0, TurnFacts(safe_place_tonight=True))
    unknown = ENGINE.step(conv, Inbound("SM1", conv.address, body), 100.0, TurnFacts(safe_place_tonight=None))
    assert sentence in free.replies[0] and "911" in free.replies[0]
    assert sentence not in unknown.replies[0] and "{tonight}" not in unknown.replies[0]


def test_staffed_is_worked_out_again_only_at_the_next_change():
    facts = LineFacts(CONTENT.hours)
    monday = datetime(2026, 11, 30, 8, 59, tzinfo=LA).timestamp()
    conv = Conversation(key="k", address="+15555550191")
    assert facts.for_turn(conv, monday).staffed is False
    assert facts.for_turn(conv, monday + 120).staffed is True  # 09:01: the cached answer ran out at 09:00
    assert facts.for_turn(conv, monday + 8 * 3600 + 60).staffed is False  # 17:00


def test_the_shelters_are_asked_at_most_every_half_minute():
    asked = []

    def free_tonight() -> bool:
        asked.append(1)
        return len(asked) == 1

    facts = LineFacts(CONTENT.hours, free_tonight)
    conv = Conversation(key="k", address="+15555550191")
    assert facts.for_turn(conv, 1000.0).safe_place_tonight is True
    assert facts.for_turn(conv, 1020.0).safe_place_tonight is True and len(asked) == 1
    assert facts.for_turn(conv, 1031.0).safe_place_tonight is False and len(asked) == 2


@pytest.mark.parametrize("address, where", [("+15555550193", "from this same number"),
                                            ("whatsapp:+15555550193", "from this same number"),
                                            ("web:invented-token", "here in this chat")])
def test_where_an_advocate_will_write_follows_the_channel(address, where):
    conv = Conversation(key="k", address=address, state="needs", created_at=1.0)
    [reply] = ENGINE.step(conv, Inbound("SM1", address, "2"), 100.0).replies
    assert reply.startswith(f"An advocate will text you {where}.")
