"""A personal safety word: a harmless word agreed in safety planning that means "I'm in danger and can't say so".

Matched after the folding the understanding uses (case, accents, apostrophes, letters drawn out), as whole
words anywhere in a message: "pizza" is in "Pizza tonight?" and "PIZZAAA", not in "pizzeria".
"""
from __future__ import annotations

import re

from bot.intents import fold

_WORD = re.compile(r"[^\W_]+")
_REPEATS = re.compile(r"(\w)\1+")
MIN_LETTERS, MAX_LETTERS, MAX_WORDS = 3, 40, 4
# Words the line already answers to: a safety word must never be one of them.
RESERVED = frozenset({"clear", "stop", "start", "help", "info", "delete", "borrar", "yes", "no", "si", "ok",
                      "quiet", "silencio", "claim", "release", "close", "list", "word", "booked"})


class SafetyWordRejected(ValueError):
    """Why a proposed safety word can't be used; the message quotes nothing of the word."""


def folded_words(text: str) -> list[str]:
    return _WORD.findall(fold(text).replace("'", ""))


def _skeleton(words: list[str]) -> list[str]:
    """Each word with its repeated letters once: "PIZZAAA", "pizza" and "piza" are one word."""
    return [_REPEATS.sub(r"\1", w) for w in words]


def normalise(word: str, keywords=()) -> str:
    """The word as it is kept and matched; SafetyWordRejected when it would not work as one."""
    words = folded_words(word)
    letters = sum(len(w) for w in words)
    if not words or letters < MIN_LETTERS:
        raise SafetyWordRejected(f"A safety word needs {MIN_LETTERS} letters or more.")
    if letters > MAX_LETTERS or len(words) > MAX_WORDS:
        raise SafetyWordRejected(f"Keep it short: {MAX_WORDS} words and {MAX_LETTERS} letters at most.")
    if all(w.isdigit() for w in words):
        raise SafetyWordRejected("A safety word must have letters, not only digits.")
    joined = " ".join(words)
    if joined in RESERVED or joined.upper() in keywords:
        raise SafetyWordRejected("That is a word the line already answers to (STOP, HELP, YES…): choose another.")
    return joined


def said_in(message: str, word: str) -> bool:
    """Whether the folded safety word appears, as whole words, in the message."""
    wanted = _skeleton(word.split())
    said = _skeleton(folded_words(message))
    return any(said[i:i + len(wanted)] == wanted for i in range(len(said) - len(wanted) + 1))
