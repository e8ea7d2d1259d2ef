"""What an advocate may teach the understanding: a right reading and a paraphrase in their own words.

The survivor's words are never copied into a misread: a paraphrase that repeats a run of their message
(four words, or the whole of a shorter one) is refused, and the advocate is asked to say it their way.
"""
from __future__ import annotations

import re

from bot.intents import fold

NOT_DANGER = "not_danger"
MAX_PARAPHRASE = 200
COPIED_RUN = 4  # this many of their words in a row is copying, not paraphrasing


class MisreadRefused(ValueError):
    """The misread cannot be kept as given; the message says why, never quoting the survivor."""


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text).replace("'", ""))


def copies_their_words(paraphrase: str, message: str) -> bool:
    """Whether the paraphrase repeats the survivor's message: a run of COPIED_RUN words, or all of it."""
    theirs, ours = _words(message), _words(paraphrase)
    run = min(COPIED_RUN, len(theirs))
    if not run:
        return False
    said = {tuple(theirs[i:i + run]) for i in range(len(theirs) - run + 1)}
    return any(tuple(ours[i:i + run]) in said for i in range(len(ours) - run + 1))


def checked_misread(reading: str, paraphrase: str, message: str, categories: tuple[str, ...]) -> tuple[str, str]:
    """The reading and paraphrase to keep, or MisreadRefused naming what is wrong."""
    paraphrase = " ".join(paraphrase.split())
    if reading != NOT_DANGER and reading not in categories:
        raise MisreadRefused("Choose the right reading: a danger category, or not danger.")
    if not paraphrase or len(paraphrase) > MAX_PARAPHRASE:
        raise MisreadRefused(f"Write a paraphrase of 1 to {MAX_PARAPHRASE} characters in your own words.")
    if copies_their_words(paraphrase, message):
        raise MisreadRefused("The paraphrase repeats their words. Say what it meant in your own words; "
                             "their message is never copied into what the bot learns from.")
    return reading, paraphrase
