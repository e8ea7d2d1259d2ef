"""Who may be paged for a request: capacity (the most conversations one holds at once) and languages.

Pure: the roster and each advocate's load (how many conversations they hold) are read by the caller."""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.advocates import Advocate
from bot.conversation import Priority

DEFAULT_CAPACITY = 3
MAX_CAPACITY = 50
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


class CapacityError(ValueError):
    """A capacity or a list of languages that can't be used; the message says what would do."""


def checked_capacity(value) -> int:
    try:
        capacity = int(str(value).strip())
    except ValueError:
        raise CapacityError(f"Capacity is a whole number from 1 to {MAX_CAPACITY}, like 3.") from None
    if not 1 <= capacity <= MAX_CAPACITY:
        raise CapacityError(f"Capacity is a whole number from 1 to {MAX_CAPACITY}, like 3.")
    return capacity


def checked_languages(value) -> list[str]:
    """'en,es' or ['en', 'es'] → ['en', 'es']: two- or three-letter codes, each once, in the order given."""
    parts = value.replace(" ", ",").split(",") if isinstance(value, str) else list(value)
    languages = []
    for part in (str(p).strip().lower() for p in parts):
        if part and part not in languages:
            if not _LANGUAGE.match(part):
                raise CapacityError("Languages are codes like en,es (two or three letters each).")
            languages.append(part)
    if not languages:
        raise CapacityError("Give at least one language, like en or en,es.")
    return languages


def has_room(advocate: Advocate, loads: dict[str, int]) -> bool:
    return loads.get(advocate.id, 0) < advocate.capacity


def with_room(advocates: list[Advocate], loads: dict[str, int], priority: Priority | None) -> list[Advocate]:
    """URGENT pages everyone it is given; NORMAL and HIGH skip those already at capacity."""
    if priority is Priority.URGENT:
        return list(advocates)
    return [a for a in advocates if has_room(a, loads)]


def by_language(advocates: list[Advocate], lang: str) -> tuple[list[Advocate], list[Advocate]]:
    """(those who speak `lang`, the others)."""
    return [a for a in advocates if a.speaks(lang)], [a for a in advocates if not a.speaks(lang)]


def fewest_first(advocates: list[Advocate], loads: dict[str, int]) -> list[Advocate]:
    """Offer order: the fewest conversations held first, then the most room left, then by name."""
    return sorted(advocates, key=lambda a: (loads.get(a.id, 0), -(a.capacity - loads.get(a.id, 0)), a.id))


def over_capacity(advocate: Advocate, held: int, priority: Priority | None) -> bool:
    """True when a CLAIM would take them past their capacity (URGENT is always theirs to take)."""
    return priority is not Priority.URGENT and held >= advocate.capacity


@dataclass(frozen=True)
class FirstPages:
    """Who is paged now for a request, who later (`later`, after the language wait), and how."""

    now: list[Advocate]
    later: list[Advocate]
    offer: bool = False  # `now` is one advocate, offered the request alone for a while


def first_pages(free: list[Advocate], loads: dict[str, int], conv_lang: str, priority: Priority | None,
                mode: str) -> FirstPages:
    """URGENT: everyone free at once. Otherwise those who speak the language first (offer mode: one at a
    time, the fewest conversations first); when nobody free speaks it, everyone free at once."""
    if priority is Priority.URGENT:
        return FirstPages(list(free), [])
    speakers, others = by_language(free, conv_lang)
    if not speakers:
        return FirstPages(list(free), [])
    if mode == "offer":
        return FirstPages(fewest_first(speakers, loads)[:1], [], offer=True)
    return FirstPages(speakers, others)
