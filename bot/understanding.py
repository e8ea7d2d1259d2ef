"""Read a message in the person's own words: danger by category, and what it answers (flows/understanding.yaml).

Text is read the way people type it: case, accents and repeated letters ("pleeease") are folded, texting
forms expanded ("hes" → "he is", "xfa" → "por favor"), every word is stemmed in English and in Spanish
(hits/hitting → hit, pegan/pegó → peg) and a one-letter typo in a longer word is corrected towards the
words the patterns use ("scard" → "scared", "kil" → "kill"). A match right after a negation ("not",
"nobody", "no", "nunca"…) within its clause does not count: "nobody is hurting me" is not danger, while
patterns that are themselves negations ("can not leave", "no me dejan salir") stay danger.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import Stemmer
import yaml
from rapidfuzz.distance import OSA

from bot.danger_model import MIN_WORDS, DangerModel
from bot.intents import fold
from bot.yaml_text import WordsLoader

LANGUAGES = ("en", "es")
GAPS = {"*": 2, "**": 5}  # a gap in a pattern: up to this many words
SHORT_STEM = 4  # a word whose stem is shorter matches only as written ("her" is not "herida")
SHORT_ANSWERS = frozenset({"yes", "no"})
POSSIBLE_DANGER = "possible_danger"  # the statistical backstop's category: no pattern named it
_SETTLED = frozenset({"reassured", "just_asking"})
NEGATION_REACH = 3  # a negation counts this many words back, within the clause
_WORD = re.compile(r"[^\W\d_]+|\d+|[.!?;,:\n]+")  # "8am" is two words: 8, am
_RUN = re.compile(r"(\w)\1{2,}")
_NUMBER = re.compile(r"#(\d+)-(\d+)$")


class UnderstandingError(ValueError):
    """understanding.yaml is wrong; the message names the file and line."""


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


@dataclass
class Words:
    """A message as the matcher sees it: words, their stems per language, and where clauses break."""

    surface: list[str] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)  # "=" + the word: how short-stemmed pattern words compare
    stems: dict[str, list[str]] = field(default_factory=dict)
    breaks: set[int] = field(default_factory=set)  # a clause ends before this index


@dataclass(frozen=True)
class Pattern:
    """A compiled phrase: elements are ('alt', {stem sequences}), ('gap',), ('not',) or ('num', lo, hi)."""

    name: str  # the category or meaning it belongs to
    lang: str
    text: str
    elements: tuple[tuple[Any, ...], ...]
    line: int


class Understanding:
    def __init__(self, data: dict, path: Path, model: DangerModel | None = None):
        self.path = path
        self.model = model
        self._stemmers = {"en": Stemmer.Stemmer("english"), "es": Stemmer.Stemmer("spanish")}
        self.spellings: dict[str, tuple[str, ...]] = {}
        self.common: frozenset[str] = frozenset()
        self.boundaries: frozenset[str] = frozenset()
        self.categories: tuple[str, ...] = ()
        self.meanings: dict[str, str | None] = {}  # meaning → what it means when negated
        self._negators: dict[str, list[tuple[str, ...]]] = {}
        self._negator_index: dict[str, tuple[tuple[str, ...], ...]] = {}
        self._patterns: dict[str, dict[str, list[Pattern]]] = {}  # lang → first-stem key → patterns
        self._fuzzy: dict[str, set[str]] = {}
        self._vocab: set[str] = set()
        self._stems: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
        self._cache: dict[str, tuple[str, ...]] = {}
        self._context: dict[str, frozenset[str]] = {}  # context name → the categories it cancels
        _Compiler(self, path).compile(data)

    @classmethod
    def load(cls, path: Path, model: Path | None = None) -> "Understanding":
        """The patterns in `path`, and the statistical backstop in `model` when given."""
        try:
            node = yaml.compose(path.read_text(encoding="utf-8"), Loader=WordsLoader)
        except yaml.YAMLError as exc:
            raise UnderstandingError(f"{path}: not valid YAML: {exc}") from None
        return cls(node, path, DangerModel.load(model) if model else None)

    # --- reading ---------------------------------------------------------------------------------
    def words(self, text: str) -> Words:
        words = Words(stems={lang: [] for lang in LANGUAGES})
        for piece in _WORD.findall(fold(text).replace("'", "")):
            if not piece[0].isalnum():
                words.breaks.add(len(words.surface))
                continue
            for word in self._spelled(piece):
                words.surface.append(word)
                words.marked.append("=" + word)
                for lang in LANGUAGES:
                    words.stems[lang].append(self._stemmers[lang].stemWord(word))
        return words

    def read(self, text: str) -> Reading:
        words, reading, decided = self._read_by_patterns(text)
        if not decided and self.model is not None:
            said = " ".join(words.surface)
            if self.model.probability(said) >= self.model.threshold:
                # Unsure, so danger (safety rule 6): the advocate sees that the bot was not sure.
                return Reading((Signal(POSSIBLE_DANGER, said),), reading.meanings)
        return reading

    def asks_model(self, text: str) -> bool:
        """Whether the patterns leave this message to the statistical backstop (see bot/danger_model.py)."""
        return not self._read_by_patterns(text)[2]

    def _read_by_patterns(self, text: str) -> tuple[Words, Reading, bool]:
        """The words, what the patterns read, and whether they decided about danger on their own."""
        words = self.words(text)
        found: dict[str, list[tuple[int, int, Pattern]]] = {}
        for lang in LANGUAGES:
            for start, end, pattern in self._matches(words, lang):
                found.setdefault(pattern.name, []).append((start, end, pattern))
        benign = [(s, e) for s, e, _ in found.pop("benign", [])]
        # "lol", "for a class": these categories are not meant anywhere in this message.
        cancelled = {c for name in self._context if found.pop(name, None) for c in self._context[name]}
        danger: dict[str, Signal] = {}
        answers: list[tuple[int, int, str]] = []
        for name, spans in found.items():
            for start, end, pattern in spans:
                meaning = self._meaning(words, name, start, end, pattern)
                if meaning in self.categories:
                    if meaning in cancelled or any(s < end and start < e for s, e in benign):
                        continue  # an idiom that only looks like danger ("hit me up", "killing time")
                    danger.setdefault(meaning, Signal(meaning, " ".join(words.surface[start:end])))
                elif meaning:
                    answers.append((start, end, meaning))
                elif name in self.categories:
                    # Danger denied ("nobody is hurting me", "no tengo miedo") reassures, and its "no"
                    # answers nothing.
                    answers.append((self._negation_before(words, start, NEGATION_REACH), end, "reassured"))
        # A bare yes or no inside a longer phrase is that phrase: "no problem" is not "no".
        meanings = {m for s, e, m in answers if m not in SHORT_ANSWERS
                    or not any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) for s2, e2, _ in answers)}
        # Any danger word, even denied or in an idiom, or a reassurance: the patterns have looked closely.
        decided = (any(name in self.categories for name in found) or bool(meanings & _SETTLED)
                   or len(words.surface) < MIN_WORDS)
        return words, Reading(tuple(danger.values()), frozenset(meanings)), decided

    def _meaning(self, words: Words, name: str, start: int, end: int, pattern: Pattern) -> str | None:
        """What a match means once negation is read: nothing, the same, or its `negated:` meaning."""
        if _negates_itself(pattern):
            return name
        if name in self.categories:
            return None if self._negated(words, start, NEGATION_REACH) else name
        if name in SHORT_ANSWERS and end < len(words.surface) and end not in words.breaks and self._negator_at(
                words, end):
            return None  # "i do not know", "yes not tonight": the answer is taken back
        if self.meanings.get(name) == name:
            return name  # a need stays a need: "i haven't eaten" is food
        if not self._negated(words, start, NEGATION_REACH):
            return name
        # Turned into its opposite only by a negation right before it: "not safe", "no estoy bien".
        return self.meanings.get(name) if self._negated(words, start, 1) else None

    def _negator_at(self, words: Words, i: int) -> bool:
        return any(tuple(words.surface[i:i + len(n)]) == n for n in self._negators["any"])

    def _spelled(self, piece: str) -> tuple[str, ...]:
        """One typed word as the words it stands for: squeezed, expanded, its typo corrected."""
        cached = self._cache.get(piece)
        if cached is not None:
            return cached
        word = piece
        if _RUN.search(word):
            twice, once = _RUN.sub(r"\1\1", word), _RUN.sub(r"\1", word)
            word = twice if twice in self._vocab and once not in self._vocab else once
        spelled = self.spellings.get(word) or (self._corrected(word),)
        if len(self._cache) < 50_000:
            self._cache[piece] = spelled
        return spelled

    def _corrected(self, word: str) -> str:
        """The pattern word one typo away, for words the patterns and the common words don't know."""
        if len(word) < 3 or word in self._vocab or word in self.common or word.isdigit():
            return word
        if any(self._stemmers[lang].stemWord(word) in self._stems[lang] for lang in LANGUAGES):
            return word
        candidates = set(self._fuzzy.get(word, ()))  # one letter left out: "kil", "scard", "hep"
        if len(word) >= 7:  # in shorter words a changed or extra letter is as often another word
            for i in range(len(word)):
                shorter = word[:i] + word[i + 1:]
                if shorter in self._vocab:
                    candidates.add(shorter)  # one letter too many
                candidates.update(self._fuzzy.get(shorter, ()))  # one letter changed or swapped
        close = [c for c in candidates if len(c) >= 4 and OSA.distance(word, c, score_cutoff=1) <= 1
                 and (len(word) >= 7 or len(c) == len(word) + 1)]
        # A letter left out is the commonest slip, then one changed; the first letter is rarely wrong.
        close.sort(key=lambda c: (c[0] != word[0], {1: 0, 0: 1}.get(len(c) - len(word), 2), c))
        return close[0] if close else word

    def _matches(self, words: Words, lang: str) -> Iterable[tuple[int, int, Pattern]]:
        stems = words.stems[lang]
        index = self._patterns[lang]
        for start, stem in enumerate(stems):
            keys = [stem, words.marked[start]]
            if words.surface[start].isdigit():
                keys.append("#")
            for key in keys:
                for pattern in index.get(key, ()):
                    end = _match(pattern.elements, 0, words, stems, start, self)
                    if end is not None:
                        yield start, end, pattern

    def _negated(self, words: Words, start: int, reach: int) -> bool:
        return self._negation_before(words, start, reach) is not None

    def _negation_before(self, words: Words, start: int, reach: int) -> int | None:
        """Where a negation starts within `reach` words before `start`, in the same clause; None if none."""
        if words.surface[start] in self.boundaries:
            return None  # the match starts its own clause: "no, i am ok"
        for i in range(start - 1, max(0, start - reach) - 1, -1):
            if i + 1 in words.breaks or words.surface[i] in self.boundaries:
                return None  # another clause, or another subject ("no he hits me")
            if any(tuple(words.surface[i:i + len(n)]) == n and i + len(n) <= start for n in self._negators["any"]):
                return i
        return None


def _key(stem: str, word: str) -> str:
    """How a pattern word is compared: by its stem, or as written when the stem is short."""
    return stem if len(stem) >= SHORT_STEM else "=" + word


def _negates_itself(pattern: Pattern) -> bool:
    return any(element[0] == "not" for element in pattern.elements)


def _match(elements, k: int, words: Words, stems: list[str], i: int, u: "Understanding") -> int | None:
    """The end of a match of elements[k:] starting at word i, or None."""
    if k == len(elements):
        return i
    element = elements[k]
    kind = element[0]
    if kind == "gap":
        for skip in range(element[1] + 1):
            last = i + skip - 1  # the last word skipped: the gap never crosses a clause or a negation
            if skip and (last >= len(stems) or last in words.breaks or (words.surface[last],) in u._negators["any"]):
                break
            if skip and elements[k - 1][0] == "not" and words.surface[last] in u.boundaries:
                break  # a negation says nothing past another subject: "no, i am ok" is not "not ok"
            end = _match(elements, k + 1, words, stems, i + skip, u)
            if end is not None:
                return end
        return None
    if kind == "opt":  # (a|b)?: with the words, or without them
        with_words = _match(elements[:k] + (("alt", element[1]),) + elements[k + 1:], k, words, stems, i, u)
        return with_words if with_words is not None else _match(elements, k + 1, words, stems, i, u)
    if k and i in words.breaks:
        return None
    if kind == "num":
        if i < len(stems) and words.surface[i].isdigit() and element[1] <= int(words.surface[i]) <= element[2]:
            return _match(elements, k + 1, words, stems, i + 1, u)
        return None
    index = u._negator_index if kind == "not" else element[1]
    stems_here, marked = stems, words.marked
    if i >= len(stems):
        return None
    for option in index.get(stems[i], ()) + index.get(marked[i], ()):
        n = len(option)
        if i + n > len(stems):
            continue
        if all(want in (stems_here[j], marked[j]) for j, want in zip(range(i + 1, i + n), option[1:])) and not any(
                j in words.breaks for j in range(i + 1, i + n)):
            end = _match(elements, k + 1, words, stems, i + n, u)
            if end is not None:
                return end
    return None


def _index(options) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Options by their first word, longest first, so one lookup finds those that can start here."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for option in sorted(options, key=len, reverse=True):
        index.setdefault(option[0], []).append(option)
    return {first: tuple(found) for first, found in index.items()}


class _Compiler:
    """Check understanding.yaml and compile it into the Understanding; every mistake names its line."""

    def __init__(self, target: Understanding, path: Path):
        self.u = target
        self.path = path

    def fail(self, node, problem: str):
        line = node.start_mark.line + 1 if node is not None else None
        raise UnderstandingError(f"{self.path}:{line}: {problem}" if line else f"{self.path}: {problem}")

    def mapping(self, node, what: str) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} must be a mapping")
        return {key.value: value for key, value in node.value}

    def strings(self, node, what: str) -> list[tuple[str, Any]]:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.fail(node, f"{what} must be a non-empty list of phrases")
        out = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode) or not str(item.value).strip():
                self.fail(item, f"{what}: every entry must be a phrase")
            out.append((str(item.value), item))
        return out

    def compile(self, root) -> None:
        u = self.u
        top = self.mapping(root, "the file")
        for name in ("spellings", "common", "negators", "boundaries", "danger", "benign", "meanings"):
            if name not in top:
                self.fail(root, f"'{name}' is missing")
        spellings = self.mapping(top["spellings"], "'spellings'")
        for typed, node in spellings.items():
            if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
                self.fail(node, f"spelling {typed!r} must stand for words")
            u.spellings[fold(typed).replace("'", "")] = tuple(fold(str(node.value)).replace("'", "").split())
        u.common = frozenset(fold(w) for w, _ in self.strings(top["common"], "'common'"))
        u.boundaries = frozenset(fold(w) for w, _ in self.strings(top["boundaries"], "'boundaries'"))
        negators = self.per_language(top["negators"], "'negators'")
        u._negators = {"any": sorted({self.plain(p) for lang in LANGUAGES for p, _ in negators[lang]},
                                     key=len, reverse=True)}
        u._negator_index = _index(tuple("=" + w for w in n) for n in u._negators["any"])
        danger = self.mapping(top["danger"], "'danger'")
        u.categories = tuple(danger)
        meanings = self.mapping(top["meanings"], "'meanings'")
        raw_patterns: list[tuple[str, str, str, Any]] = []
        for category, node in danger.items():
            for lang, items in self.per_language(node, f"danger category {category!r}").items():
                raw_patterns += [(category, lang, text, item) for text, item in items]
        for lang, items in self.per_language(top["benign"], "'benign'").items():
            raw_patterns += [("benign", lang, text, item) for text, item in items]
        raw_patterns += self.context(top.get("context"))
        for meaning, node in meanings.items():
            if meaning in u.categories or meaning == "benign":
                self.fail(node, f"meaning {meaning!r} has the name of a danger category")
            spec = self.mapping(node, f"meaning {meaning!r}")
            negated = spec.pop("negated", None)
            target = str(negated.value) if negated is not None else None
            if target is not None and target != "same" and target not in meanings and target not in u.categories:
                self.fail(negated, f"meaning {meaning!r}: negated as unknown {target!r}")
            u.meanings[meaning] = meaning if target == "same" else target
            for lang in LANGUAGES:
                if lang not in spec:
                    self.fail(node, f"meaning {meaning!r} has no phrases in {lang!r}")
                raw_patterns += [(meaning, lang, text, item) for text, item in self.strings(spec[lang], meaning)]
        # The vocabulary first (typos are corrected towards it), then the patterns themselves.
        for name, lang, text, _ in raw_patterns:
            if name in ("benign", *u._context):
                continue  # typos are corrected towards what people mean, not towards idioms
            for word in self.plain(text):
                u._vocab.add(word)
                u._stems[lang].add(u._stemmers[lang].stemWord(word))  # a known word in its own language
        # The words of idioms are real words, never someone's typo ("contract" is not "contact").
        u.common = u.common | ({w for name, _, text, _ in raw_patterns if name in ("benign", *u._context)
                                for w in self.plain(text)} - u._vocab)
        for word in u._vocab:
            if len(word) >= 4 and word not in u.common and not word.isdigit():
                u._fuzzy.setdefault(word, set()).add(word)
                for i in range(len(word)):
                    u._fuzzy.setdefault(word[:i] + word[i + 1:], set()).add(word)
        u._patterns = {lang: {} for lang in LANGUAGES}
        for name, lang, text, node in raw_patterns:
            pattern = Pattern(name, lang, text, self.elements(text, lang, node), node.start_mark.line + 1)
            self.check_matches_itself(pattern, node)
            for key in self.first_keys(pattern.elements):
                u._patterns[lang].setdefault(key, []).append(pattern)

    def context(self, node) -> list[tuple[str, str, str, Any]]:
        """`context`: phrases that, anywhere in a message, say some categories are not meant (a joke, a class)."""
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, "'context' must be a list of {cancels: [categories], en: [...], es: [...]}")
        raw = []
        for n, item in enumerate(node.value):
            spec = self.mapping(item, "a context")
            cancels = spec.pop("cancels", None)
            names = [str(c.value) for c in cancels.value] if isinstance(cancels, yaml.SequenceNode) else []
            unknown = [c for c in names if c not in self.u.categories]
            if not names or unknown:
                self.fail(cancels or item, f"context: 'cancels' must list danger categories (unknown: {unknown})")
            name = f"context {n + 1}"
            self.u._context[name] = frozenset(names)
            phrases = self.per_language(item, name)
            raw += [(name, lang, text, entry) for lang in LANGUAGES for text, entry in phrases[lang]]
        return raw

    def per_language(self, node, what: str) -> dict[str, list[tuple[str, Any]]]:
        spec = {k: v for k, v in self.mapping(node, what).items() if k != "cancels"}
        unknown = set(spec) - set(LANGUAGES)
        if unknown:
            self.fail(node, f"{what}: unknown language {sorted(unknown)} (the line speaks {', '.join(LANGUAGES)})")
        for lang in LANGUAGES:
            if lang not in spec:
                self.fail(node, f"{what} has no phrases in {lang!r}")
        return {lang: self.strings(spec[lang], f"{what} ({lang})") for lang in LANGUAGES}

    def plain(self, text: str) -> tuple[str, ...]:
        words: list[str] = []
        for word in re.findall(r"[^\W_]+", fold(text).replace("'", "")):
            words += self.u.spellings.get(word, (word,))
        return tuple(words)

    def elements(self, text: str, lang: str, node) -> tuple[tuple[Any, ...], ...]:
        stem = self.u._stemmers[lang].stemWord
        out: list[tuple[Any, ...]] = []
        for token in re.findall(r"\([^)]*\)\??|\S+", fold(text)):
            optional = token.startswith("(") and token.endswith(")?")
            token = token[:-1] if optional else token
            number = _NUMBER.match(token)
            if token in GAPS:
                out.append(("gap", GAPS[token]))
            elif token == "not":
                out.append(("not",))
            elif number:
                out.append(("num", int(number.group(1)), int(number.group(2))))
            else:
                options = token[1:-1].split("|") if token.startswith("(") else [token]
                stems = set()
                for option in options:
                    if option.startswith("#") or option in GAPS or "(" in option:
                        self.fail(node, f"pattern {text!r}: {option!r} must stand alone, not inside ( | )")
                    words = self.plain(option)
                    if not words:
                        self.fail(node, f"pattern {text!r}: {token!r} holds no word, so it can never match")
                    exact = option.startswith("=")  # "=llego": only as written, not "llegue"
                    stems.add(tuple("=" + w if exact else _key(stem(w), w) for w in words))
                out.append(("opt" if optional else "alt", _index(stems)))
        if re.search(r"\([^)]*\(", fold(text)):
            self.fail(node, f"pattern {text!r}: ( | ) cannot hold another ( | )")
        if not out or out[0][0] in ("gap", "opt") or out[-1][0] in ("gap", "opt"):
            self.fail(node, f"pattern {text!r}: a pattern must start and end with a word, not '*' or ( )?")
        return tuple(out)

    def first_keys(self, elements) -> set[str]:
        first = elements[0]
        if first[0] == "num":
            return {"#"}
        if first[0] == "not":
            return {"=" + n[0] for n in self.u._negators["any"]}
        return set(first[1])

    def check_matches_itself(self, pattern: Pattern, node) -> None:
        """A pattern must match its own words read as a message: otherwise it can never match."""
        sample = " ".join(_sample(token) for token in re.findall(r"\([^)]*\)\??|\S+", pattern.text))
        words = self.u.words(sample)
        stems = words.stems[pattern.lang]
        if not any(_match(pattern.elements, 0, words, stems, i, self.u) is not None
                   for i in range(len(stems))):
            self.fail(node, f"pattern {pattern.text!r} can never match (read as a message it becomes "
                            f"{' '.join(words.surface)!r})")


def _sample(token: str) -> str:
    token = token[:-1] if token.endswith(")?") else token
    number = _NUMBER.match(token)
    if number:
        return number.group(1)
    if token in GAPS:
        return ""
    if token == "not":
        return "not"
    return token[1:-1].split("|")[0] if token.startswith("(") else token
