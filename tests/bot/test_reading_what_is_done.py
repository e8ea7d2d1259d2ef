"""What is done to the texter, read by its mechanism (flows/understanding.yaml, bot/clauses.py): permission for
eating or the bathroom, being moved on every few days, a reckoning promised, a blow given; and what only looks
like it: shots in a game, their own papers in hand, a threat to sue, someone gone supposed back, a place near
them in the news, a fear long over."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation import Conversation, Inbound, Priority, RequestAdvocate, TurnFacts
from bot.engine import Engine
from config.content import load_content

ROOT = Path(__file__).resolve().parents[2]
ENGINE = Engine(load_content(ROOT / "config"))
ADDRESS = "+15555550146"


def urgent_pages(body: str) -> list:
    conv = Conversation(key="k", address=ADDRESS, state="new", created_at=0.0)
    outcome = ENGINE.step(conv, Inbound("SM1", ADDRESS, body), 10.0, TurnFacts(staffed=False))
    return [e for e in outcome.effects if isinstance(e, RequestAdvocate) and e.priority is Priority.URGENT]


@pytest.mark.parametrize("body, category", [
    # Permission for what a body needs is control.
    ("we need her permission just to use the restroom", "control"),
    ("hay que pedirle permiso hasta para tomar agua", "control"),
    # Moved on every few days or weeks, whoever moves them.
    ("we keep getting sent to another motel every few days", "sold_moved"),
    ("nos llevan a otro lado cada 2 semanas", "sold_moved"),
    # A reckoning promised for leaving or telling.
    ("she said shed make me suffer if i told my mom", "threat"),
    # A blow given, named as the thing given.
    ("anoche le dieron un madrazo a mi hermana y a mi una patada", "violence"),
    ("el encargado me metio una bofetada enfrente de todos", "violence"),
    ("they make me ask before i can sleep", "control"),
])
def test_what_is_done_to_the_texter_is_read_as_its_category(body, category):
    assert category in ENGINE.understanding.read(body).categories
    assert urgent_pages(body)


@pytest.mark.parametrize("body", [
    "he hit some nice shots from the three point line tonight",
    "i still have my passport, it is in my drawer at home",
    "my neighbor threatened to take me to small claims over the fence",
    "la vecina me amenazo con una demanda por el perro",
    "in case she ever shows up here i would call the police, but she moved to texas",
    "saw on the news they arrested traffickers around us, crazy",
    "i used to be scared of my old boss, that is in the past now and i am fine",
])
def test_what_only_looks_like_danger_pages_nobody(body):
    assert ENGINE.understanding.read(body).danger == ()
    assert not urgent_pages(body)


@pytest.mark.parametrize("body", [
    "he shot at me in the parking lot after the game",  # a shot at the texter is a weapon, game or not
    "they took my passport, i only have my id card",  # what was taken still counts beside what is kept
    "he threatened to sue me and said he would kill me",  # a threat of harm beside a threat to sue
    "if he comes back he will kill me",  # a threat supposed is still a threat
])
def test_danger_beside_what_looks_benign_still_pages(body):
    assert ENGINE.understanding.read(body).danger
    assert urgent_pages(body)
