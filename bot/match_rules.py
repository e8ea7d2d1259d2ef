"""How one danger match is read against what is said around it: an idiom that cancels it, a blow told as one to
come, a supposition (bot/understanding.py's helpers)."""
from __future__ import annotations

from bot.patterns import Words
from bot.told import Told

_AGAIN = frozenset({"again", "anymore", "every", "always", "like", "when", "whenever"})  # what keeps happening


def vetoes(idiom: tuple[int, int, bool], danger: tuple[int, int]) -> bool:
    """Whether a benign phrase cancels a danger match. An idiom cancels the danger it overlaps ("hit me up"), but
    not a longer danger phrase that holds it whole ("creo q es trata" is not the question "que es trata"); an age
    told ("my son is 15") cancels only what it holds: danger said past it still counts ("… and a man pays him")."""
    s, e, age = idiom
    start, end = danger
    if age:
        return s <= start and end <= e
    return s < end and start < e and not (start <= s and e <= end and end - start > e - s)


def foretold(words: Words, start: int, end: int) -> bool:
    """Whether a blow is told as one to come ("she will shoot me", "hes going to hit me"), in its clause: a threat, as a
    doer's hyperbole may make it ("my wife will kill me"). Told as what keeps happening ("will hit me again") it is
    the blow itself."""
    before = words.surface[max(0, start - 3):start]
    if any(b in words.breaks for b in range(max(0, start - 3) + 1, start + 1)) or set(words.surface[end:end + 3]) & _AGAIN:
        return False
    return "will" in before or any(before[i:i + 2] == ["going", "to"] for i in range(len(before) - 1))


def supposed(words: Words, told: Told, category: str, start: int) -> bool:
    """Whether a must-catch match at `start` is supposed ("what if someone took my passport"): a supposition
    that cancels its category starts before it in its sentence. Any other context ("lol", "my uber is here")
    never cancels one: "lol he said he will kill me" is a threat."""
    return any(s <= start and category in cancels and not any(s < b <= start for b in words.breaks)
               for s, cancels in told.supposed)
