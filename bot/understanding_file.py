"""Check flows/understanding.yaml and compile it into a Lexicon (bot/lexicon.py); every mistake names its line."""
from __future__ import annotations

import re
from typing import Any

import yaml

from bot.intents import fold
from bot.lexicon import LANGUAGES, sounds_like
from bot.patterns import GAPS, NUMBER, Pattern, gate, index_options, key_for_word, match
from bot.understanding_sections import ALSO, FIGURES_UNLESS, PAST, SOURCE, SOURCE_UNLESS, UNLESS, Sections


class Compiler(Sections):
    """Check understanding.yaml and compile it into a Lexicon (the reader is one); every mistake names its line."""

    def compile(self, root) -> None:
        """The whole file, in order: its word lists, the phrases of every section, the vocabulary typos are
        corrected towards, then the patterns."""
        top = self.word_lists(root)
        raw_patterns, sure = self.phrases(top)
        self.vocabulary(raw_patterns)
        self.patterns(raw_patterns, sure)

    def word_lists(self, root) -> dict[str, Any]:
        """The top-level mapping, checked, with its plain word lists (spellings, negators, fillers…) filled in."""
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
        if "backstop" in top:
            self.backstop(top["backstop"])
        if "saying" in top:
            u.saying = frozenset(fold(w) for w, _ in self.strings(top["saying"], "'saying'"))
        if "pleas" in top:
            u.pleas = frozenset(fold(w) for w, _ in self.strings(top["pleas"], "'pleas'"))
        if "pleas_alone" in top:
            u.pleas_alone = frozenset(fold(w) for w, _ in self.strings(top["pleas_alone"], "'pleas_alone'"))
        if "negation_skips" in top:
            u.negation_skips = frozenset(fold(w) for w, _ in self.strings(top["negation_skips"], "'negation_skips'"))
        if "fillers" in top:
            u.fillers = frozenset(fold(w) for w, _ in self.strings(top["fillers"], "'fillers'"))
        if "conditionals" in top:
            u.conditionals = frozenset(fold(w) for w, _ in self.strings(top["conditionals"], "'conditionals'"))
        negators = self.per_language(top["negators"], "'negators'")
        u.negators = sorted({self.plain(p) for lang in LANGUAGES for p, _ in negators[lang]}, key=len, reverse=True)
        u.negator_index = index_options(tuple("=" + w for w in n) for n in u.negators)
        u.negator_words = frozenset(n[0] for n in u.negators if len(n) == 1)
        return top

    def phrases(self, top: dict[str, Any]) -> tuple[list[tuple[str, str, str, Any]], set[tuple[str, str, str]]]:
        """Every phrase of every section as (name, language, text, node), and the must-catch ones."""
        u = self.u
        danger = self.mapping(top["danger"], "'danger'")
        u.categories = tuple(danger)
        for what, names in (("overrules", u.overrulable), ("long.never", u.overrule_long[2])):
            unknown = sorted(names - set(u.categories))
            if unknown:
                self.fail(self.backstop_node, f"'backstop.{what}': unknown category {unknown[0]!r}")
        meanings = self.mapping(top["meanings"], "'meanings'")
        raw_patterns: list[tuple[str, str, str, Any]] = []
        for category, node in danger.items():
            for lang, items in self.per_language(node, f"danger category {category!r}").items():
                raw_patterns += [(category, lang, text, item) for text, item in items]
        for lang, items in self.per_language(top["benign"], "'benign'").items():
            raw_patterns += [("benign", lang, text, item) for text, item in items]
        raw_patterns += self.context(top.get("context"))
        raw_patterns += self.figures(top.get("figures"))
        if "past" in top:
            phrases = self.per_language(top["past"], "'past'")
            raw_patterns += [(PAST, lang, text, entry) for lang in LANGUAGES for text, entry in phrases[lang]]
        raw_patterns += self.others(top.get("others"))
        u.must_catch = self.must_catch(top.get("must_catch"))
        sure = {(m.category, m.lang, text) for m in u.must_catch for text in m.phrases}
        raw_patterns += [(category, lang, text, None) for category, lang, text in sorted(sure)]
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
        return raw_patterns, sure

    def vocabulary(self, raw_patterns: list[tuple[str, str, str, Any]]) -> None:
        """The words typos are corrected towards (by one letter, or by ear), and the words never corrected."""
        u = self.u
        # The vocabulary first (typos are corrected towards it), then the patterns themselves.
        as_written = ("benign", *u.context_groups, *(n + UNLESS for n in u.context_groups), *u.figure_groups, FIGURES_UNLESS, PAST,
                      SOURCE, SOURCE_UNLESS, *(n + ALSO for n in u.context_also), *(n + UNLESS for n in u.figure_unless))
        by_lang: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
        for name, lang, text, _ in raw_patterns:
            if name in as_written:
                continue  # typos are corrected towards what people mean, not towards idioms or doers
            for word in self.plain(text):
                u.vocab_words.add(word)
                by_lang[lang].add(word)
                u.known_stems[lang].add(u.stemmers[lang].stemWord(word))  # a known word in its own language
        # The words of idioms are real words, never someone's typo ("contract" is not "contact").
        u.common = u.common | ({w for name, _, text, _ in raw_patterns if name in as_written
                                for w in self.plain(text)} - u.vocab_words)
        for word in u.vocab_words:
            if len(word) >= 4 and word not in u.common and not word.isdigit():
                u.fuzzy_index.setdefault(word, set()).add(word)
                for i in range(len(word)):
                    u.fuzzy_index.setdefault(word[:i] + word[i + 1:], set()).add(word)
        # Words spelled by ear, as Spanish sounds: only a sound that one Spanish pattern word makes is corrected towards
        # it, never towards an English word ("squared" is not "scared", "heating" not "eating").
        sounds: dict[str, set[str]] = {}
        for word in by_lang["es"] - by_lang["en"]:
            if len(word) >= 5 and word not in u.common and not word.isdigit():
                sounds.setdefault(sounds_like(word), set()).add(word)
        u.sound_index = {sound: next(iter(words)) for sound, words in sounds.items() if len(words) == 1}

    def patterns(self, raw_patterns: list[tuple[str, str, str, Any]], sure: set[tuple[str, str, str]]) -> None:
        u = self.u
        u.patterns_by_lang = {lang: {} for lang in LANGUAGES}
        kept: dict[tuple, tuple[tuple, set[str]]] = {}  # each pattern once, with the words its forms write
        for name, lang, text, node in raw_patterns:
            # Idioms and contexts are matched as written: a stem would let "showed" stand for "show".
            elements = self.elements(text, lang, node, exact=name == "benign" or name.startswith(("context ", "figure ")))
            is_sure = (name, lang, text) in sure
            same = (name, lang, repr(elements)) if is_sure else (name, lang, text, id(node))
            if same in kept:
                kept[same][1].update(self.plain(text))  # "is gonna" and "is going to" read the same: one pattern
                continue
            kept[same] = ((name, lang, text, node, elements, is_sure), set(self.plain(text)))
        by_key: dict[tuple[str, str], list[Pattern]] = {}
        for (name, lang, text, node, elements, is_sure), written in kept.values():
            pattern = Pattern(name, lang, text, elements, self.required(elements), is_sure, frozenset(written))
            self.check_matches_itself(pattern, node)
            for key in self.first_keys(pattern.elements):
                by_key.setdefault((lang, key), []).append(pattern)
        for (lang, key), listed in by_key.items():
            u.patterns_by_lang[lang][key] = gate(listed, key)

    def plain(self, text: str) -> tuple[str, ...]:
        words: list[str] = []
        for word in re.findall(r"[^\W_]+", fold(text).replace("'", "")):
            words += self.u.spellings.get(word, (word,))
        return tuple(words)

    def elements(self, text: str, lang: str, node, exact: bool = False) -> tuple[tuple[Any, ...], ...]:
        stem = self.u.stemmers[lang].stemWord
        out: list[tuple[Any, ...]] = []
        for token in re.findall(r"\([^)]*\)\??|\S+", fold(text)):
            optional = token.startswith("(") and token.endswith(")?")
            token = token[:-1] if optional else token
            number = NUMBER.match(token)
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
                    as_written = exact or option.startswith("=")  # "=llego": only as written, not "llegue"
                    stems.add(tuple("=" + w if as_written else key_for_word(stem(w), w) for w in words))
                out.append(("opt" if optional else "alt", index_options(stems)))
        if re.search(r"\([^)]*\(", fold(text)):
            self.fail(node, f"pattern {text!r}: ( | ) cannot hold another ( | )")
        if not out or out[0][0] in ("gap", "opt") or out[-1][0] in ("gap", "opt"):
            self.fail(node, f"pattern {text!r}: a pattern must start and end with a word, not '*' or ( )?")
        return tuple(out)

    def required(self, elements) -> tuple[frozenset[str], ...]:
        needed = []
        for element in elements[1:]:
            if element[0] == "alt":
                needed.append(frozenset(element[1]))
            elif element[0] == "not":
                needed.append(frozenset(self.u.negator_index))
            elif element[0] == "num":
                needed.append(frozenset({"#"}))
        # The most particular words first: most patterns are ruled out by their first test.
        return tuple(sorted(needed, key=len))

    def first_keys(self, elements) -> set[str]:
        first = elements[0]
        if first[0] == "num":
            return {"#"}
        if first[0] == "not":
            return {"=" + n[0] for n in self.u.negators}
        return set(first[1])

    def check_matches_itself(self, pattern: Pattern, node) -> None:
        """A pattern must match its own words read as a message: otherwise it can never match."""
        sample = " ".join(_sample(token) for token in re.findall(r"\([^)]*\)\??|\S+", pattern.text))
        words = self.u.words(sample)
        stems = words.stems[pattern.lang]
        if not any(match(pattern.elements, 0, words, stems, i, self.u) is not None
                   for i in range(len(stems))):
            self.fail(node, f"pattern {pattern.text!r} can never match (read as a message it becomes "
                            f"{' '.join(words.surface)!r})")


def _sample(token: str) -> str:
    token = token[:-1] if token.endswith(")?") else token
    number = NUMBER.match(token)
    if number:
        return number.group(1)
    if token in GAPS:
        return ""
    if token == "not":
        return "not"
    return token[1:-1].split("|")[0] if token.startswith("(") else token
