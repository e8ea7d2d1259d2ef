"""The must-catch list of flows/understanding.yaml, inflected: every form a phrase takes when people type it.

A must-catch phrase is danger whatever the statistical model says. Each is written once, with `{name}`
slots for the verb forms listed beside it (`forms:`) and `(a|b)` for alternatives; this module spells out
every form: English for each subject (he, she, they…) with its verbs agreeing (is/are, wants/want) and
their contractions (he's, hes, they're, he'd); Spanish with the object pronoun before the verb or
attached to the infinitive ("me quiere matar", "quiere matarme"). Plain data in, plain data out: the
compiler (bot/understanding_file.py) makes patterns of `phrases`, the reader checks every one of `forms`.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_SLOT = re.compile(r"\{(\w+)\}")
_GROUP = re.compile(r"\(([^()]*)\)")
# English subjects and how their verbs agree: (subject, be, was, third person -s, the pronoun after "said").
_SUBJECTS_EN = (("he", "is", "was", True, "he"), ("she", "is", "was", True, "she"), ("they", "are", "were", False, "they"),
                ("my boyfriend", "is", "was", True, "he"), ("my boss", "is", "was", True, "he"))
_CONTRACTIONS_EN = (("he is", ("he's", "hes")), ("she is", ("she's", "shes")), ("they are", ("they're", "theyre")),
                    ("he would", ("he'd", "hed")), ("she would", ("she'd",)), ("they would", ("they'd", "theyd")),
                    ("he will", ("he'll",)), ("she will", ("she'll",)), ("they will", ("they'll", "theyll")),
                    ("going to", ("gonna",)), ("can not", ("can't", "cant")), ("will not", ("won't", "wont")),
                    ("i am", ("i'm", "im")), ("does not", ("doesn't", "doesnt")), ("do not", ("don't", "dont")))
_SUBJECTS_ES = ("", "mi novio ", "el ", "ellos ")
_CLITICS = ("me", "nos")
_INFINITIVE = re.compile(r"^\w+[aei]r$")


@dataclass(frozen=True)
class MustCatch:
    """One phrase of the list: its category, language, the line it is written on, what patterns it
    compiles to (`phrases`, without a subject) and every form it must be read as danger in (`forms`)."""

    category: str
    lang: str
    text: str
    line: int
    phrases: tuple[str, ...]
    forms: tuple[str, ...]


def alternatives(text: str) -> list[str]:
    """Every way of reading "(a|b) c": "a c", "b c"."""
    parts = _GROUP.split(text)  # even: literal, odd: a group's options
    options = [[p] if i % 2 == 0 else p.split("|") for i, p in enumerate(parts)]
    return [" ".join("".join(choice).split()) for choice in itertools.product(*options)]


def fill(text: str, forms: dict[str, list[str]]) -> list[str]:
    """The phrase with each `{slot}` replaced by every form listed for it."""
    names = _SLOT.findall(text)
    out = []
    for choice in itertools.product(*(forms[name] for name in names)):
        filled = text
        for name, value in zip(names, choice):
            filled = filled.replace("{" + name + "}", value, 1)
        out.append(filled)
    return out


def english(phrase: str, subject: tuple) -> str:
    """The phrase said of one subject: "be going to" → "is going to", "want to" → "wants to"."""
    who, be, was, third, pronoun = subject
    words = []
    for n, word in enumerate(phrase.split()):
        if word == "be":
            word = be
        elif word == "was":
            word = was
        elif word == "he":
            word = pronoun
        elif third and n == 0 and word in ("want", "say", "threaten", "plan", "try", "have", "keep", "lock"):
            word = {"have": "has", "try": "tries"}.get(word, word + "s")
        words.append(word)
    return " ".join(words)


def contracted(form: str) -> set[str]:
    """The form and every contraction of it people type ("he is going to" → "he's gonna", "hes going to"…)."""
    out = {form}
    for full, shorts in _CONTRACTIONS_EN:
        for known in list(out):
            padded = f" {known} "
            if f" {full} " in padded:
                out.update(padded.replace(f" {full} ", f" {short} ").strip() for short in shorts)
    return out


def with_clitic_attached(phrase: str, modals: frozenset[str]) -> str | None:
    """ "me quiere matar" → "quiere matarme": the pronoun before a verb like querer or ir a, moved onto
    the infinitive after it ("no me dejan salir" stays as it is: the pronoun is dejar's)."""
    words = phrase.split()
    for i, word in enumerate(words[:-1]):
        if word in _CLITICS and words[i + 1] in modals:
            for j in range(i + 2, len(words)):
                if _INFINITIVE.match(words[j]):
                    return " ".join(words[:i] + words[i + 1:j] + [words[j] + word] + words[j + 1:])
    return None


def inflect(category: str, lang: str, text: str, line: int, forms: dict[str, list[str]]) -> MustCatch:
    """One entry of the list, spelled out in every form."""
    base = [p for filled in fill(text, forms) for p in alternatives(filled)]
    if lang == "en":
        # A phrase that begins with a verb is said of someone: the pattern is the verb on, the forms say who.
        said_of = base[0].split()[0] not in ("i", "we", "my", "they", "he", "she")
        phrases = {english(p, s) for p in base for s in _SUBJECTS_EN[:3]} if said_of else set(base)
        forms_out = ({c for p in base for s in _SUBJECTS_EN for c in contracted(f"{s[0]} {english(p, s)}")}
                     if said_of else {c for p in base for c in contracted(p)})
        phrases = {c for p in phrases for c in contracted(p)}
    else:
        modals = frozenset(form.split()[0] for values in forms.values() for form in values) - set(_CLITICS)
        phrases = set(base) | {a for p in base if (a := with_clitic_attached(p, modals))}
        forms_out = {f"{who}{p}" for p in phrases for who in _SUBJECTS_ES}
    return MustCatch(category, lang, text, line, tuple(sorted(phrases)), tuple(sorted(forms_out)))
