"""Compiled phrase patterns and how one is matched against a message's words (see flows/understanding.yaml)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Protocol

GAPS = {"*": 2, "**": 5}  # a gap in a pattern: up to this many words
SHORT_STEM = 4  # a word whose stem is shorter matches only as written ("her" is not "herida")
NUMBER = re.compile(r"#(\d+)-(\d+)$")
# Estar (seguir) before a gerund tells what is going on now, and a pattern reads past it as past a filler: "le esta
# pegando a mi hermana" is "le pega a mi hermana", "nos estan encerrando" is "nos encierran".
_GOING_ON = frozenset({"esta", "estan", "estaba", "estaban", "sigue", "siguen"})
_GERUND = re.compile(r"\w\w(ando|iendo|yendo)$")


def reads_past(surface: list[str], i: int, fillers: frozenset[str]) -> bool:
    """Whether a pattern reads past word i: a filler ("siempre"), or estar before a gerund ("esta pegando")."""
    return surface[i] in fillers or (surface[i] in _GOING_ON and i + 1 < len(surface)
                                     and _GERUND.search(surface[i + 1]) is not None)


# Spanish numbers written out count as the number for a range: "hace dos anos", "un chamaco de quince" ("un", "una"
# are left out: too often an article).
_SPELLED = {w: n for n, w in enumerate("dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
                                       "dieciseis diecisiete dieciocho diecinueve veinte".split(), start=2)}
_SPELLED.update(treinta=30, cuarenta=40, cincuenta=50)


def number_of(word: str) -> int | None:
    """The number a word says ("15", "quince"), or None."""
    return int(word) if word.isdigit() else _SPELLED.get(word)


class Grammar(Protocol):
    """What matching needs to know besides the pattern: negations and the words that start a clause."""

    negators: list[tuple[str, ...]]
    negator_index: dict[str, tuple[tuple[str, ...], ...]]
    negator_words: frozenset[str]  # the negations of one word ("not", "nunca")
    boundaries: frozenset[str]
    fillers: frozenset[str]


@dataclass(slots=True)
class Words:
    """A message as the matcher sees it: words, their stems per language, and where clauses break."""

    surface: list[str] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)  # "=" + the word: how short-stemmed pattern words compare
    stems: dict[str, list[str]] = field(default_factory=dict)
    breaks: set[int] = field(default_factory=set)  # a clause ends before this index
    guessed: tuple[int, ...] = ()  # words a typo was corrected into ("kil" → "kill"): see as_guessed
    skips: frozenset[int] = frozenset()  # words a pattern reads past (see reads_past), worked out once a message
    numbers: dict[int, int] = field(default_factory=dict)  # where a word says a number ("15", "quince"): which


@dataclass(frozen=True, slots=True)
class Pattern:
    """A compiled phrase: elements are ('alt', {stem sequences}), ('gap',), ('not',) or ('num', lo, hi)."""

    name: str  # the category or meaning it belongs to
    lang: str
    text: str
    elements: tuple[tuple[Any, ...], ...]
    # For each element that must match, the words one of which the message must hold: a cheap test
    # that rules a pattern out before it is matched word by word.
    required: tuple[frozenset[str], ...] = ()
    sure: bool = False  # from the must-catch list: danger whatever the model says, never settled
    written: frozenset[str] = frozenset()  # its words as written (not stemmed): what a typo corrected may stand for


# The patterns that start with one key: those that need no other word, and the others by their gate, the word
# (of the set they need that holds fewest) the message must hold. Each with its place in the key's list (which
# orders what is found), where matching goes on once the key is found (past the first element when that is
# one word, as it mostly is: else from it), and, when gated, its other needs.
Entry = tuple[int, Pattern, int, "frozenset[str] | None"]
Gated = tuple[tuple[Entry, ...],
              dict[str, tuple[tuple[int, Pattern, int, "frozenset[str] | None", tuple[frozenset[str], ...]], ...]]]


def _next_words(pattern: Pattern, key: str, past_key: int) -> frozenset[str] | None:
    """The words one of which must come right after the key for `pattern` to match there, when that is known from
    the pattern alone: the next element's words, or the second words of the several-word options the key starts."""
    first, elements = pattern.elements[0], pattern.elements
    if past_key:
        then = elements[1] if len(elements) > 1 else None
        return frozenset(then[1]) if then is not None and then[0] == "alt" else None
    options = first[1].get(key, ()) if first[0] == "alt" else ()
    return frozenset(o[1] for o in options) if options and all(len(o) > 1 for o in options) else None


def gate(patterns: list[Pattern], key: str) -> Gated:
    """One key's patterns, gated: a message is tried only on the patterns whose gate word it holds, so the
    many patterns that start with "me" or "i" are not each looked at to be ruled out."""
    ungated: list[Entry] = []
    gated: dict[str, list[tuple[int, Pattern, int, frozenset[str] | None, tuple[frozenset[str], ...]]]] = {}
    for seq, pattern in enumerate(patterns):
        first = pattern.elements[0]
        # The key is a word of the first element: past it, unless that element holds several-word options
        # (or is a negation or a number), which are matched from the start.
        past_key = int(first[0] == "alt" and all(len(o) == 1 for options in first[1].values() for o in options))
        nexts = _next_words(pattern, key, past_key)  # most patterns tried fail there: find() rules them out
        if not pattern.required:
            ungated.append((seq, pattern, past_key, nexts))
            continue
        fewest, *rest = pattern.required  # the fewest words first (bot/understanding_file.py)
        for word in fewest:
            gated.setdefault(word, []).append((seq, pattern, past_key, nexts, tuple(rest)))
    return tuple(ungated), {word: tuple(entries) for word, entries in gated.items()}


def key_for_word(stem: str, word: str) -> str:
    """How a pattern word is compared: by its stem, or as written when the stem is short."""
    return stem if len(stem) >= SHORT_STEM else "=" + word


def as_guessed(words: Words, lang: str, start: int, end: int, pattern: Pattern) -> bool:
    """Whether a match holds its typo-corrected words as the pattern writes them. A correction is a guess towards one
    word a pattern uses: the guess stands for that word, not for every word of its stem ("que vola" guessed as
    "viola" is not "violacion"; "me vilo" guessed as "me violo" is)."""
    for at in words.guessed:
        if start <= at < end and words.surface[at] not in pattern.written:
            keys = {words.stems[lang][at], words.marked[at]}
            if any(not keys.isdisjoint(option) for element in pattern.elements if element[0] in ("alt", "opt")
                   for options in element[1].values() for option in options):
                return False  # matched by its stem alone, as another word than the one guessed
    return True


def negates_itself(pattern: Pattern) -> bool:
    return any(element[0] == "not" for element in pattern.elements)


def match(elements, k: int, words: Words, stems: list[str], i: int, u: Grammar) -> int | None:
    """The end of a match of elements[k:] starting at word i, or None."""
    if k == len(elements):
        return i
    element = elements[k]
    kind = element[0]
    if kind == "gap":
        for skip in range(element[1] + 1):
            last = i + skip - 1  # the last word skipped: the gap never crosses a clause or a negation
            if skip and (last >= len(stems) or last in words.breaks or words.surface[last] in u.negator_words):
                break
            if skip and elements[k - 1][0] == "not" and words.surface[last] in u.boundaries:
                break  # a negation says nothing past another subject: "no, i am ok" is not "not ok"
            end = match(elements, k + 1, words, stems, i + skip, u)
            if end is not None:
                return end
        return None
    if kind == "opt":  # (a|b)?: with the words, or without them
        with_words = None if k and i in words.breaks else _words_at(element[1], elements, k, words, stems, i, u)
        return with_words if with_words is not None else match(elements, k + 1, words, stems, i, u)
    if k and i in words.breaks:
        return None
    if kind == "num":
        said = words.numbers.get(i)
        if said is not None and element[1] <= said <= element[2]:
            return match(elements, k + 1, words, stems, i + 1, u)
        if k and i in words.skips:
            return match(elements, k, words, stems, i + 1, u)
        return None
    end = _words_at(u.negator_index if kind == "not" else element[1], elements, k, words, stems, i, u)
    if end is not None:
        return end
    if k and i in words.skips:
        return match(elements, k, words, stems, i + 1, u)  # "if i ever leave", "siempre nos encierran"
    return None


def _words_at(index, elements, k: int, words: Words, stems: list[str], i: int, u: Grammar) -> int | None:
    """The end of a match of elements[k:] whose element k is one of the word sequences in `index`, at word i."""
    if i >= len(stems):
        return None
    marked = words.marked
    options, more = index.get(stems[i]), index.get(marked[i])
    if options is None:
        options = more or ()
    elif more:
        options = options + more
    # The word after this one, unless a clause ends between: what a several-word option must go on with.
    after = i + 1 < len(stems) and i + 1 not in words.breaks
    stem_after, marked_after = (stems[i + 1], marked[i + 1]) if after else ("", "")
    for option in options:
        n = len(option)
        # One word (most options) is already matched by its key; more must follow it, in the clause.
        if n > 1 and (not after or option[1] != stem_after and option[1] != marked_after
                      or n > 2 and not _follows(option, words, stems, i)):
            continue
        end = match(elements, k + 1, words, stems, i + n, u)
        if end is not None:
            return end
    return None


def _follows(option: tuple[str, ...], words: Words, stems: list[str], i: int) -> bool:
    """Whether the words after word i are the rest of a several-word option, none after a clause break."""
    if i + len(option) > len(stems):
        return False
    marked, breaks = words.marked, words.breaks
    for j in range(1, len(option)):
        want = option[j]
        if (want != stems[i + j] and want != marked[i + j]) or i + j in breaks:
            return False
    return True


def index_options(options) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Options by their first word, longest first, so one lookup finds those that can start here."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for option in sorted(options, key=len, reverse=True):
        index.setdefault(option[0], []).append(option)
    return {first: tuple(found) for first, found in index.items()}


def find(words: Words, lang: str, index: dict[str, Gated],
         grammar: Grammar) -> Iterator[tuple[int, int, Pattern]]:
    """Every match (start, end, pattern) of `lang`'s patterns (`index`, gated: see gate) in the message, by start,
    each start's in the order the file gives them."""
    stems = words.stems[lang]
    marked = words.marked
    numbers, skips = words.numbers, words.skips
    present = {*stems, *marked, "#"} if numbers else {*stems, *marked}
    last = len(stems) - 1
    for start, stem in enumerate(stems):
        # The word right after this one (its stem, as written), as a pattern's next element names it: nothing at the
        # end; not known when it is a filler, which a pattern reads past.
        known = start == last or start + 1 not in skips
        a0, a1 = ("", "") if start == last else (stems[start + 1], marked[start + 1])
        for key in ((stem, marked[start], "#") if start in numbers else (stem, marked[start])):
            keyed = index.get(key)
            if keyed is None:
                continue
            ungated, gated = keyed
            hits: dict[int, tuple[int, Pattern]] = {}
            for seq, pattern, past, nexts in ungated:
                if nexts is not None and known and a0 not in nexts and a1 not in nexts:
                    continue  # what must come next does not
                end = match(pattern.elements, past, words, stems, start + past, grammar)
                if end is not None:
                    hits[seq] = (end, pattern)
            for word in gated.keys() & present:
                for seq, pattern, past, nexts, rest in gated[word]:
                    if nexts is not None and known and a0 not in nexts and a1 not in nexts:
                        continue
                    for need in rest:
                        if need.isdisjoint(present):
                            break  # a word it needs is nowhere in the message
                    else:
                        end = match(pattern.elements, past, words, stems, start + past, grammar)
                        if end is not None:
                            hits[seq] = (end, pattern)
            for seq in sorted(hits) if len(hits) > 1 else hits:  # in the order the file gives them
                end, pattern = hits[seq]
                yield start, end, pattern
