"""How a message is told, from the patterns that say so: idioms, contexts, doers, the past, sources (the reading of
bot/understanding.py only)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Told:
    """How one message is told: what its idioms, contexts, doers, past and sources say (Understanding._how_told)."""

    benign: list[tuple[int, int, bool]]  # idioms: where, and whether a number is part of it
    contexts: list[str]  # contexts found ("lol", "for a class")
    cancelled: set[str]  # the categories they cancel
    supposed: list[tuple[int, frozenset[str]]]  # where a supposition starts, and what it cancels in its sentence
    doers: list[tuple[int, int, str]]  # doers of figures of speech, where, and their group
    past: bool  # told as long over ("years ago")
    sources: list[tuple[int, int]]  # told from elsewhere ("in the news")
    laughed: set[str]  # the categories only a laugh cancels ("lol"): before `laughs_reach` only
    laughs_reach: int  # where a laugh stops cancelling (Clauses.laugh_reach)
    insisted: int  # where danger starts to be told against a hedge ("its nothing but …"; Clauses.insisted_at)
