"""A small statistical backstop for danger the patterns do not name: character n-grams and word n-grams (each
tf-idf, l2-normalised on its own, as scikit-learn's FeatureUnion of two TfidfVectorizers), logistic regression.

Trained by `python bench/train_danger_model.py` from texts in the repo (tests/bot/corpus.yaml and
the held-out sets that were read) and shipped as flows/danger_model.json; this module only reads it,
with no library beyond the standard one. bot/understanding.py asks it about a message in which the
patterns found no danger, no denial of danger and no reassurance (it may then add danger), and about a
message where they found only a soft category (`backstop:` in flows/understanding.yaml), which it may
overrule only when it is sure the message is not danger.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

MIN_WORDS = 3  # shorter messages are answers ("no thx", "sip"), which the patterns read


class DangerModelError(ValueError):
    """flows/danger_model.json is missing or malformed."""


@dataclass(frozen=True)
class DangerModel:
    ngram_range: tuple[int, int]
    threshold: float
    intercept: float
    idf: dict[str, float]
    weight: dict[str, float]  # coefficient per n-gram (only those the model uses)
    trained_on: str
    word_range: tuple[int, int] = (0, 0)  # word n-grams ("took my", "me pega"): none in a model made without them
    word_idf: dict[str, float] = field(default_factory=dict)
    word_weight: dict[str, float] = field(default_factory=dict)
    _grams: dict[str, tuple[tuple[str, ...], float, float]] = field(default_factory=dict, compare=False, repr=False)
    # n-gram → (idf, idf × weight): one lookup per n-gram when a message is scored, inside every webhook.
    _terms: dict[str, tuple[float, float]] = field(default_factory=dict, compare=False, repr=False)
    _word_terms: dict[str, tuple[float, float]] = field(default_factory=dict, compare=False, repr=False)  # the same

    def __post_init__(self) -> None:
        self._terms.update((g, (v, v * self.weight.get(g, 0.0))) for g, v in self.idf.items())
        self._word_terms.update((g, (v, v * self.word_weight.get(g, 0.0))) for g, v in self.word_idf.items())

    @classmethod
    def load(cls, path: Path) -> "DangerModel":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            low, high = data["ngram_range"]
            words_low, words_high = data.get("word_ngram_range", (0, 0))
            model = cls((int(low), int(high)), float(data["threshold"]), float(data["intercept"]),
                        {g: float(v) for g, v in data["idf"].items()},
                        {g: float(v) for g, v in data["weight"].items()}, str(data["trained_on"]),
                        (int(words_low), int(words_high)), {g: float(v) for g, v in data.get("word_idf", {}).items()},
                        {g: float(v) for g, v in data.get("word_weight", {}).items()})
        except FileNotFoundError:
            raise DangerModelError(f"{path}: not found (make it with `python bench/train_danger_model.py`)") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise DangerModelError(f"{path}: not a danger model ({type(exc).__name__}: {exc})") from None
        if not 0 < model.threshold < 1 or not model.idf:
            raise DangerModelError(f"{path}: threshold must be between 0 and 1, and idf not empty")
        return model

    def probability(self, text: str) -> float:
        """P(danger) for a message already read into words (lower case, spelled out, space-separated)."""
        squares = dot = 0.0
        known: list[tuple[str, ...]] = []
        size = 0
        for word in text.split():  # each n-gram counted once, as most are: sublinear tf is then 1
            grams, word_squares, word_dot = self._known_grams(word)
            known.append(grams)
            squares += word_squares
            dot += word_dot
            size += len(grams)
        words = self._words_score(text)
        if not size:
            return 0.0 if words is None else 1 / (1 + math.exp(-(self.intercept + words)))
        counts = Counter(chain.from_iterable(known))
        if len(counts) < size:  # an n-gram said n times weighs 1 + log(n) times, not n times
            terms, log = self._terms, math.log
            for gram, n in [(gram, n) for gram, n in counts.items() if n > 1]:
                idf, weighted = terms[gram]
                tf = 1 + log(n)
                squares += (tf * tf - n) * idf * idf
                dot += (tf - n) * weighted
        score = self.intercept + dot / math.sqrt(squares) + (words or 0.0)  # tf × idf, l2-normalised, · weights
        return 1 / (1 + math.exp(-score))

    def _words_score(self, text: str) -> float | None:
        """The word n-grams' share of the score (their tf-idf, l2-normalised, dotted with the weights), or None
        when the message holds none the model knows."""
        terms = self._word_terms
        if not terms:
            return None
        said = text.split()
        low, high = self.word_range
        grams = [w for w in said if w in terms] if low <= 1 else []
        for n in range(max(2, low), high + 1):
            grams += [g for g in map(" ".join, zip(*(said[i:] for i in range(n)))) if g in terms]
        if not grams:
            return None
        squares = dot = 0.0
        if len(set(grams)) == len(grams):  # each said once, as most are: sublinear tf is 1
            for gram in grams:
                idf, weighted = terms[gram]
                squares += idf * idf
                dot += weighted
        else:
            for gram, n in Counter(grams).items():
                idf, weighted = terms[gram]
                tf = 1 + math.log(n)
                squares += tf * tf * idf * idf
                dot += tf * weighted
        return dot / math.sqrt(squares)

    def _known_grams(self, word: str) -> tuple[tuple[str, ...], float, float]:
        """The n-grams of one word that the model knows, with the sums a message adds up when each is said
        once (idf², idf × weight); words recur, so each is worked out once."""
        known = self._grams.get(word)
        if known is None:
            grams = tuple(g for g in char_wb_ngrams(word, *self.ngram_range) if g in self.idf)
            terms = self._terms
            known = (grams, sum(terms[g][0] ** 2 for g in grams), sum(terms[g][1] for g in grams))
            if len(self._grams) < 50_000:
                self._grams[word] = known
        return known


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside word boundaries, each word padded with a space (as scikit-learn's char_wb)."""
    grams = []
    for word in text.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) < n:
                break
            grams += [padded[i:i + n] for i in range(len(padded) - n + 1)]
    return grams
