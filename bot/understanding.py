"""Read a message in the person's own words: danger by category, and what it answers (flows/understanding.yaml).

The words are read as bot/lexicon.py says (folded, spelled out, stemmed, a typo corrected). A match right after a
negation ("not", "nobody", "nunca"…) in its clause does not count: "nobody is hurting me" is not danger, while patterns
that are themselves negations ("can not leave", "no me dejan salir") stay danger."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.danger_model import MIN_WORDS, DangerModel
from bot.negation import Negation
from bot.lexicon import LANGUAGES
from bot.match_rules import foretold, supposed, vetoes
from bot.patterns import Pattern, Words, as_guessed, find, negates_itself
from bot.signals import Reading, Signal
from bot.told import Told
from bot.understanding_file import Compiler
from bot.understanding_sections import (ALSO, FIGURES_UNLESS, PAST, SOURCE, SOURCE_UNLESS, UNLESS,
                                        UnderstandingError)
from bot.yaml_text import WordsLoader

__all__ = ["POSSIBLE_DANGER", "Reading", "Signal", "Understanding", "UnderstandingError"]
SHORT_ANSWERS = frozenset({"yes", "no"})
POSSIBLE_DANGER = "possible_danger"  # the statistical backstop's category: no pattern named it
_SETTLED = frozenset({"reassured", "just_asking"})
NEGATION_REACH = 3  # a negation counts this many words back, within the clause
# Spanish told as what used to happen ("me pegaba", "nos encerraban"): with a reassurance, it is over.
_IMPERFECT = re.compile(r"\w(aba|aban|abamos)\b")
# A text this short is remembered with its reading, up to MEMO_LIMIT of them (then forgotten, all at once).
MEMO_CHARS, MEMO_LIMIT = 24, 4096
# A time since which things go on is no past now over: "ando con el desde hace un ano", "llegue hace un ano y ...".
_SINCE = frozenset({"desde", "llegue", "llegamos", "vine", "vinimos", "llevo", "llevamos", "empece"})
SINCE_REACH = 3
# Said right before a danger word, these say how much, not that one is fine: "estoy bien asustada", "ando bien mal".
_INTENSIFIERS = frozenset({"bien", "re", "bn"})
# Understanding.load's: one per process for the same files (it is read-only once built, its caches aside).
_LOADED: dict[tuple, "Understanding"] = {}


class Understanding(Negation):
    def __init__(self, data: yaml.Node | None, path: Path, model: DangerModel | None = None):
        super().__init__()
        self.model = model
        Compiler(self, path).compile(data)
        self._switched_off = {name: name + UNLESS for name in self.context_groups}  # its `unless` patterns' name
        self._told_names = frozenset({"benign", FIGURES_UNLESS, PAST, SOURCE, SOURCE_UNLESS, *self.context_groups,
                                      *self._switched_off.values(), *self.figure_groups,
                                      *(name + ALSO for name in self.context_also),
                                      *(name + UNLESS for name in self.figure_unless)})  # what _how_told takes
        self._memo: dict[str, Reading] = {}  # short texts read (read()); benchmarks call remember(0)
        self.memo_limit = MEMO_LIMIT
        self._check_must_catch(path)
        self._memo.clear()  # the must-catch forms are not what people text most

    def _check_must_catch(self, path: Path) -> None:
        """Every form of every must-catch phrase reads as danger in its category, or the app does not start."""
        for entry in self.must_catch:
            for form in entry.forms:
                if entry.category not in self.read(form).categories:
                    raise UnderstandingError(f"{path}:{entry.line}: must_catch {entry.text!r}: {form!r} is not read "
                                             f"as {entry.category} (read as {self.read(form).categories or 'no danger'})")

    @classmethod
    def load(cls, path: Path, model: Path | None = None) -> "Understanding":
        """The patterns in `path`, and the statistical backstop in `model` when given; read, compiled and
        checked (every must-catch form: about a second) once per process for the same files unchanged."""
        key = tuple((str(p.resolve()), p.stat().st_mtime_ns) for p in (path, model) if p is not None)
        loaded = _LOADED.get(key)
        if loaded is None:
            loaded = _LOADED[key] = cls._read(path, model)
        return loaded

    @classmethod
    def _read(cls, path: Path, model: Path | None) -> "Understanding":
        try:
            node = yaml.compose(path.read_text(encoding="utf-8"), Loader=WordsLoader)
        except yaml.YAMLError as exc:
            raise UnderstandingError(f"{path}: not valid YAML: {exc}") from None
        return cls(node, path, DangerModel.load(model) if model else None)

    # --- reading ---------------------------------------------------------------------------------
    def read(self, text: str) -> Reading:
        """What `text` says. A short message is read once per process and remembered: most are the same few
        answers ("1", "yes", "no", "hi", "ok"), and a reading depends on nothing but the text."""
        if len(text) > MEMO_CHARS:
            return self._reading(text)
        reading = self._memo.get(text)
        if reading is None:
            reading = self._reading(text)
            if self.memo_limit:
                if len(self._memo) >= self.memo_limit:
                    self._memo.clear()  # a few thousand short texts: whatever is common comes back at once
                self._memo[text] = reading
        return reading

    def remember(self, limit: int) -> None:
        """Remember up to `limit` short texts' readings from now on (0: none: benchmarks read every text)."""
        self.memo_limit = limit
        self._memo.clear()

    def _reading(self, text: str) -> Reading:
        words, reading, decided, sure = self._read_by_patterns(text)
        if self.model is None or sure:
            return reading  # a must-catch phrase is danger whatever the model says
        said = " ".join(words.surface)
        if not decided:
            if self.model.probability(said) >= self.model.threshold:
                # Unsure, so danger (safety rule 6): the advocate sees that the bot was not sure.
                return Reading((Signal(POSSIBLE_DANGER, said),), reading.meanings)
        elif (not reading.danger and not reading.meanings & _SETTLED and len(words.surface) >= MIN_WORDS
                and self.sure_above < 1.0 and self.model.probability(said) >= self.sure_above):
            # The patterns set it aside (an idiom, a context, a story told) and found no danger, but the other
            # reader is all but sure it is danger: two readers disagree, so danger (rule 6). Never against a
            # reassurance said ("hes not here", "estoy bien"): that settles a message.
            return Reading((Signal(POSSIBLE_DANGER, said),), reading.meanings)
        elif (reading.danger and (below := self.overrules_below(reading.categories, len(words.surface)))
                and self.model.probability(said) < below):
            # Two readers disagree strongly: only a soft category ("my son hides the remote"), or a long message
            # that tells its day ("my uncle carries a machete on the farm to cut cane"), the model sure it is not.
            return Reading((), reading.meanings)
        return reading

    def asks_model(self, text: str) -> bool:
        """Whether the patterns leave this message to the statistical backstop (see bot/danger_model.py)."""
        return not self._read_by_patterns(text)[2]

    def must_catch_forms(self) -> list[tuple[str, str, str]]:
        """(category, language, form) for every form of the must-catch list, for the benchmark's listing."""
        return [(m.category, m.lang, form) for m in self.must_catch for form in m.forms]

    def _read_by_patterns(self, text: str) -> tuple[Words, Reading, bool, bool]:
        """The words, what the patterns read, whether they decided about danger on their own, and whether
        a must-catch phrase is among what they read."""
        words = self.words(text)
        found: dict[str, list[tuple[int, int, Pattern]]] = {}
        for lang in LANGUAGES:
            for start, end, pattern in find(words, lang, self.patterns_by_lang[lang], self):
                if not words.guessed or as_guessed(words, lang, start, end, pattern):
                    found.setdefault(pattern.name, []).append((start, end, pattern))
        self._intensified(words, found)
        told = self._how_told(found, words)
        danger, answers, stated, figured, told_now, where = self._weigh(words, found, told)
        # A bare yes or no inside a longer phrase is that phrase: "no problem" is not "no".
        meanings = {m for s, e, m in answers if m not in SHORT_ANSWERS
                    or not any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) for s2, e2, _ in answers)}
        settled = self._settled(words, danger, stated, told, told_now, where)
        # Any danger word, even denied or in an idiom, or a reassurance: the patterns have looked closely.
        decided = (any(name in self.categories for name in found) or bool(meanings & _SETTLED) or bool(told.benign)
                   or any(c not in self.backstop_contexts for c in told.contexts) or bool(told.sources) or figured
                   or len(words.surface) < MIN_WORDS)
        signals = tuple(signal for c, (signal, _, _) in danger.items() if c not in settled)
        # A must-catch phrase, or danger insisted on against a hedge: the model is not asked.
        sure = any(is_sure or start >= told.insisted and c not in settled for c, (_, start, is_sure) in danger.items())
        return words, Reading(signals, frozenset(meanings)), decided, sure

    def _intensified(self, words: Words, found: dict[str, list[tuple[int, int, Pattern]]]) -> None:
        """Takes out of `found` what ends in "bien" said of a danger word right after it: "estoy bien asustada"
        is very scared, not "estoy bien"; "estoy bien, gracias" and "estoy bien protegida" still reassure."""
        starts = {s for name, spans in found.items() if name in self.categories for s, _, _ in spans}
        for name in [n for n in found if n not in self.categories]:
            kept = [(s, e, p) for s, e, p in found[name]
                    if not (words.surface[e - 1] in _INTENSIFIERS and e in starts and e not in words.breaks)]
            if kept:
                found[name] = kept
            else:
                del found[name]

    def _how_told(self, found: dict[str, list[tuple[int, int, Pattern]]], words: Words) -> Told:
        """Takes out of `found` what says how the message is told: idioms, contexts, doers, the past, sources."""
        insisted = self.insisted_at(words, found)
        if found.keys().isdisjoint(self._told_names):
            return Told([], [], set(), [], [], False, [], set(), 0, insisted)  # most messages: told plainly
        benign = [(s, e, any(el[0] == "num" for el in p.elements)) for s, e, p in found.pop("benign", [])]
        # "lol", "for a class": these categories are not meant anywhere in this message.
        contexts: list[str] = []
        cancelled: set[str] = set()
        laughed: set[str] = set()
        laughs: list[tuple[int, int]] = []
        supposed: list[tuple[int, frozenset[str]]] = []
        for name, cancels in self.context_groups.items():
            spans = found.pop(name, None)
            if spans is not None and name not in self.laughs:
                spans = self._unnegated(words, spans)
            switched_off = found.pop(self._switched_off[name], None)
            if name in self.context_also and found.pop(name + ALSO, None) is None:
                spans = None  # "can they keep my tips?" is a question of rights only with "just curious" told too
            if spans is None or switched_off is not None:
                continue  # switched off ("lol not joking", "le puse seguro porque el quiere entrar"): not told so
            contexts.append(name)
            (laughed if name in self.laughs else cancelled).update(cancels)
            laughs += [(s, e) for s, e, _ in spans if name in self.laughs]
            if name in self.supposing:
                supposed += [(s, cancels) for s, _, _ in spans]
        off = {name for name in self.figure_unless if found.pop(name + UNLESS, None)}  # "el taquero tiene una pistola"
        doers = [(s, e, name) for name in self.figure_groups for s, e, _ in found.pop(name, ()) if name not in off]
        if found.pop(FIGURES_UNLESS, None):
            doers = []  # "my dad said he'd kill me if i tell": kept secret, so meant
        past = any(_SINCE.isdisjoint(words.surface[max(0, s - SINCE_REACH):s]) for s, _, _ in found.pop(PAST, ()))
        sources = [(s, e) for s, e, _ in found.pop(SOURCE, ())]
        if found.pop(SOURCE_UNLESS, None):
            # "saw a show about it, that is what he does to me": the texter's own after all, not a story.
            sources, doers, benign = [], [], []
        return Told(benign, contexts, cancelled | laughed, supposed if cancelled else [], doers, past, sources,
                     laughed - cancelled, self.laugh_reach(words, laughs, found, insisted), insisted)

    def _unnegated(self, words: Words, spans: list) -> list | None:
        """A context said right after a negation is not told: "no me pagan extra" is no good pay, "no era el vecino"
        no harmless knock. A laugh is a laugh even after a "no" ("no jaja"): it is not asked about."""
        return [span for span in spans if not self._negated(words, span[0], 1)] or None

    def _weigh(self, words: Words, found: dict[str, list[tuple[int, int, Pattern]]], told: Told):
        """Each match read as danger (unless an idiom, a context or a figure of speech), an answer, or danger
        denied; with where reassurances were stated, whether a figure was set aside and whether danger was
        told as happening now; and where each category's matches start."""
        figured = told_now = False
        danger: dict[str, tuple[Signal, int, bool]] = {}  # category → signal, where it starts, must-catch
        where: dict[str, list[int]] = {}
        answers: list[tuple[int, int, str]] = []
        stated: list[int] = []
        for name, spans in found.items():
            for start, end, pattern in spans:
                meaning = self._meaning(words, name, start, end, pattern)
                if meaning == "violence" and foretold(words, start, end):
                    meaning = "threat"  # "my wife will shoot me if i buy another truck": a blow promised is a threat
                if meaning in self.categories:
                    if (meaning in told.cancelled and (not pattern.sure or supposed(words, told, meaning, start))
                            and (meaning not in told.laughed or start < told.laughs_reach)
                            or any(self._vetoes(words, idiom, start, end, pattern.sure) for idiom in told.benign)):
                        continue  # an idiom that only looks like danger ("hit me up", "killing time")
                    if told.doers and self.figured(words, told.doers, meaning, start, end, bool(told.laughed)):
                        figured = True  # "my mom is gonna kill me", "el calor nos va a matar"
                        continue
                    said = " ".join(words.surface[start:end])
                    told_now = told_now or not (_IMPERFECT.search(said) or self.felt_then(words, start, meaning))
                    where.setdefault(meaning, []).append(start)
                    known = danger.get(meaning)
                    if known is None or (pattern.sure and not known[2]):
                        danger[meaning] = (Signal(meaning, said), start, pattern.sure)
                elif meaning:
                    answers.append((start, end, meaning))
                    if meaning == "reassured":
                        stated.append(start)  # said in so many words ("estoy bien"), not danger denied
                elif name in self.categories:
                    # Danger denied ("nobody is hurting me", "no tengo miedo") reassures, and its "no"
                    # answers nothing.
                    negator = self._negation_before(words, start, NEGATION_REACH)
                    answers.append((start if negator is None else negator, end, "reassured"))
        return danger, answers, stated, figured, told_now, where

    def _vetoes(self, words: Words, idiom: tuple[int, int, bool], start: int, end: int, sure: bool) -> bool:
        """An idiom read across another person's words does not cancel a must-catch phrase that person says or
        does: "my sister said he is outside", "we were watching a movie and he pulled a gun on me"."""
        surface = words.surface
        if sure and any(surface[p] in self.people_words for p in range(idiom[0] + 1, min(start, idiom[1] - 1) + 1)):
            return False
        return vetoes(idiom, (start, end))

    def _settled(self, words: Words, danger: dict, stated: list[int], told: Told, told_now: bool,
                 where: dict[str, list[int]]) -> set[str]:
        """The danger categories a reassurance, a story of someone else or a past now over settles."""
        settled = self.settled_by_reassurance(words, danger, stated)
        settled |= self.told_of_others(words, danger, told.sources, told.past, where)
        past = told.past or bool(stated and danger and not told_now)
        # "me amenazaba pero se fue, estoy bien": every danger told is what used to happen.
        if past and stated:
            # "he used to hit me but that was years ago, i'm fine now": what is told is over. A must-catch
            # phrase still stands ("years ago he sold me, im ok but hes outside").
            settled |= self.over(words, danger, where)  # what is told as now stands: "but now he keeps calling"
        return settled

    def _meaning(self, words: Words, name: str, start: int, end: int, pattern: Pattern) -> str | None:
        """What a match means once negation is read: nothing, the same, or its `negated:` meaning."""
        if negates_itself(pattern):
            return name
        if name in self.categories:
            return None if self._negated(words, start, NEGATION_REACH) else name
        if name in SHORT_ANSWERS and end < len(words.surface) and end not in words.breaks and self._negator_at(
                words, end):
            return None  # "i do not know", "yes not tonight": the answer is taken back
        if self.meanings.get(name) == name:
            return name  # a need stays a need: "i haven't eaten" is food
        if self.meanings.get(name) in self.categories and self.asked(words, start):
            return self.meanings[name] if self.answered_no(words, end) else None  # "you asked if im safe, no"
        if not self._negated(words, start, NEGATION_REACH):
            return name
        # Turned into its opposite only by a negation right before it: "not safe", "no estoy bien".
        return self.meanings.get(name) if self._negated(words, start, 1) else None
