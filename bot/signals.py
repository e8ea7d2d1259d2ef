"""What a message was read to say (bot/understanding.py reads it; the engine, the turn and the flow use it)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Signal:
    """One danger category a message raised, and the words that raised it."""

    category: str
    words: str


@dataclass(frozen=True)
class Reading:
    """What one message says, before the flow decides what it answers."""

    danger: tuple[Signal, ...] = ()
    meanings: frozenset[str] = frozenset()

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.category for s in self.danger))

