"""Whole-message words (STOP, HELP, 1, YES…) and language marks, from flows/keywords.yaml.

What people say in their own words is read by bot/understanding.py."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

from bot.yaml_text import WordsLoader

WHOLE_INTENTS = (
    "stop", "start", "help", "delete", "language_en", "language_es",
    "choice_1", "choice_2", "choice_3", "choice_4", "yes", "no",
)
PHRASE_LISTS = ("spanish", "english")
# Checked first, in this order: a message that is one of these words is that word.
_COMMANDS = ("stop", "start", "help", "delete", "language_en", "language_es")
_LEADING_CHOICE = re.compile(r"^(?:#|(?:la|el|opcion|option|number|numero|no\.?) #?)?([1-4])(?:[^\w:]|$)")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


class KeywordsError(ValueError):
    """keywords.yaml is missing a list or holds something that is not a word."""


def fold(text: str) -> str:
    """Lower-case, strip accents, unify apostrophes and collapse spaces, for matching."""
    text = text.translate(_APOSTROPHES)
    if not text.isascii():  # plain ASCII has no accents to strip: most texts skip the character loop
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


_PUNCTUATION = re.compile(r"[^\w\s']+")


def _whole_form(text: str) -> str:
    """The message as one command: folded, upper case, punctuation and quotes dropped ("Yes, please!")."""
    return " ".join(_PUNCTUATION.sub(" ", fold(text)).replace("_", " ").split()).strip("'").upper()


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    alternatives = sorted((re.escape(fold(p)) for p in phrases), key=len, reverse=True)
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])")


@dataclass(frozen=True)
class Keywords:
    whole: dict[str, frozenset[str]]
    patterns: dict[str, re.Pattern[str]]
    quiet_words: frozenset[str]

    @classmethod
    def load(cls, path: Path, quiet_words: Iterable[str]) -> "Keywords":
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=WordsLoader) or {}  # noqa: S506
        whole, phrases = data.get("whole") or {}, data.get("phrases") or {}
        for group, names, source in (("whole", WHOLE_INTENTS, whole), ("phrases", PHRASE_LISTS, phrases)):
            for name in names:
                words = source.get(name)
                if not isinstance(words, list) or not words or not all(str(w).strip() for w in words):
                    raise KeywordsError(f"{path}: '{group}.{name}' must be a list of words")
        return cls(
            whole={name: frozenset(_whole_form(str(w)) for w in whole[name]) for name in WHOLE_INTENTS},
            patterns={name: _phrase_pattern(str(p) for p in phrases[name]) for name in PHRASE_LISTS},
            quiet_words=frozenset(_whole_form(w) for w in quiet_words),
        )

    def reserved(self) -> frozenset[str]:
        """Every whole-message word the line answers to (STOP, YES, 1, the quiet words…), upper case."""
        return frozenset().union(*self.whole.values()) | self.quiet_words

    def command(self, body: str, num_media: int = 0) -> str | None:
        """The command the whole message is (stop, help, quiet…), "media"/"unreadable" for no words, or None."""
        if not any(ch.isalnum() or unicodedata.category(ch) == "So" for ch in body):  # blank or "?!"
            return "media" if num_media else "unreadable"
        word = _whole_form(body)
        for name in _COMMANDS:
            if word in self.whole[name]:
                return name
        if word in self.quiet_words:
            return "quiet"
        return None

    def whole_answer(self, body: str) -> str | None:
        """yes, no or choice_N when the whole message is one of those words ("Yes!", "dos")."""
        word = _whole_form(body)
        for name in ("yes", "no", "choice_1", "choice_2", "choice_3", "choice_4"):
            if word in self.whole[name]:
                return name
        return None

    def leading_choice(self, body: str) -> str | None:
        """choice_N for a message that starts with a menu digit ("1", "#2", "3 please")."""
        leading = _LEADING_CHOICE.match(fold(body))
        return f"choice_{leading.group(1)}" if leading else None

    def guess_language(self, body: str) -> str:
        """Spanish when the message has more Spanish marks than English ones."""
        folded = fold(body)
        spanish = len(self.patterns["spanish"].findall(folded)) + sum(body.count(c) for c in "¿¡ñÑ")
        english = len(self.patterns["english"].findall(folded))
        return "es" if spanish > english else "en"
