"""Check flows/understanding.yaml and compile it into a Lexicon (bot/lexicon.py); every mistake names its line."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.intents import fold
from bot.lexicon import LANGUAGES, Lexicon, sounds_like
from bot.must_catch import MustCatch, inflect
from bot.patterns import GAPS, NUMBER, Pattern, index_options, key_for_word, match

UNLESS = " unless"  # the patterns that switch a context off are named after it with this
PEOPLE = "figure people"  # doers who may mean a threat or a blow (he, my boyfriend, el patron)
FIGURES_UNLESS = "figure unless"  # a danger kept secret, or tied to leaving or the police: never a figure
PAST = "past"  # "years ago", "hace mucho": with a reassurance, the danger told is over
SOURCE = "context source"  # "in the news", "my professor said": told from elsewhere, of someone else
SOURCE_UNLESS = "context source unless"  # "that is what he does to me": the texter's own after all


class UnderstandingError(ValueError):
    """understanding.yaml is wrong; the message names the file and line."""


class Compiler:
    """Check understanding.yaml and compile it into a Lexicon (the reader is one); every mistake names its line."""

    def __init__(self, target: Lexicon, path: Path):
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
        if "backstop" in top:
            self.backstop(top["backstop"])
        if "saying" in top:
            u.saying = frozenset(fold(w) for w, _ in self.strings(top["saying"], "'saying'"))
        if "pleas" in top:
            u.pleas = frozenset(fold(w) for w, _ in self.strings(top["pleas"], "'pleas'"))
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
        danger = self.mapping(top["danger"], "'danger'")
        u.categories = tuple(danger)
        unknown = sorted(u.overrulable - set(u.categories))
        if unknown:
            self.fail(self.backstop_node, f"'backstop.overrules': unknown category {unknown[0]!r}")
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
        # The vocabulary first (typos are corrected towards it), then the patterns themselves.
        as_written = ("benign", *u._context, *(n + UNLESS for n in u._context), *u._figures, FIGURES_UNLESS, PAST,
                      SOURCE, SOURCE_UNLESS)
        for name, lang, text, _ in raw_patterns:
            if name in as_written:
                continue  # typos are corrected towards what people mean, not towards idioms or doers
            for word in self.plain(text):
                u._vocab.add(word)
                u._stems[lang].add(u._stemmers[lang].stemWord(word))  # a known word in its own language
        # The words of idioms are real words, never someone's typo ("contract" is not "contact").
        u.common = u.common | ({w for name, _, text, _ in raw_patterns if name in as_written
                                for w in self.plain(text)} - u._vocab)
        for word in u._vocab:
            if len(word) >= 4 and word not in u.common and not word.isdigit():
                u._fuzzy.setdefault(word, set()).add(word)
                for i in range(len(word)):
                    u._fuzzy.setdefault(word[:i] + word[i + 1:], set()).add(word)
        # Words spelled by ear: only a sound that one pattern word makes is corrected towards it.
        sounds: dict[str, set[str]] = {}
        for word in u._vocab:
            if len(word) >= 5 and word not in u.common and not word.isdigit():
                sounds.setdefault(sounds_like(word), set()).add(word)
        u._sounds = {sound: next(iter(words)) for sound, words in sounds.items() if len(words) == 1}
        u._patterns = {lang: {} for lang in LANGUAGES}
        compiled_sure: set[tuple[str, str, str]] = set()
        for name, lang, text, node in raw_patterns:
            # Idioms and contexts are matched as written: a stem would let "showed" stand for "show".
            elements = self.elements(text, lang, node, exact=name == "benign" or name.startswith(("context ", "figure ")))
            pattern = Pattern(name, lang, text, elements, self.required(elements), (name, lang, text) in sure)
            if pattern.sure:
                if (name, lang, repr(elements)) in compiled_sure:
                    continue  # "is gonna" and "is going to" read the same: one pattern is enough
                compiled_sure.add((name, lang, repr(elements)))
            self.check_matches_itself(pattern, node)
            for key in self.first_keys(pattern.elements):
                u._patterns[lang].setdefault(key, []).append(pattern)

    def must_catch(self, node) -> tuple[MustCatch, ...]:
        """`must_catch`: per category and language, phrases with `{slots}` for the verb forms in `forms`."""
        if node is None:
            self.fail(None, "'must_catch' is missing: the phrases no reading may ever miss")
        spec = self.mapping(node, "'must_catch'")
        forms_node = spec.pop("forms", None)
        forms = {lang: {} for lang in LANGUAGES}
        if forms_node is not None:
            for lang, by_name in self.mapping(forms_node, "'must_catch.forms'").items():
                for name, values in self.mapping(by_name, f"'must_catch.forms.{lang}'").items():
                    forms.setdefault(lang, {})[name] = [fold(v) for v, _ in self.strings(values, f"form {name!r}")]
        out = []
        for category, by_lang in spec.items():
            if category not in self.u.categories:
                self.fail(by_lang, f"must_catch: unknown danger category {category!r}")
            for lang, items in self.per_language(by_lang, f"must_catch {category!r}").items():
                for text, item in items:
                    unknown = sorted(set(re.findall(r"\{(\w+)\}", text)) - set(forms[lang]))
                    if unknown:
                        self.fail(item, f"must_catch {text!r}: no forms for {{{unknown[0]}}} in {lang!r}")
                    out.append(inflect(category, lang, fold(text), item.start_mark.line + 1, forms[lang]))
        return tuple(out)

    def backstop(self, node) -> None:
        """`backstop`: the categories the statistical model may overrule, and how sure it must be."""
        spec = self.mapping(node, "'backstop'")
        names = [w for w, _ in self.strings(spec.get("overrules"), "'backstop.overrules'")]
        below = spec.get("below")
        try:
            value = float(below.value)
        except (AttributeError, ValueError):
            value = -1.0
        if not 0 < value < 0.5:
            self.fail(below or node, "'backstop.below' must be a probability under 0.5")
        self.u.overrulable, self.u.overrule_below = frozenset(names), value
        self.backstop_node = node

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
            unless = spec.pop("unless", None)  # "lol not joking": the joke is off
            phrases = self.per_language(item, name)
            raw += [(name, lang, text, entry) for lang in LANGUAGES for text, entry in phrases[lang]]
            if unless is not None:
                raw += [(name + UNLESS, lang, text, entry) for text, entry in self.strings(unless, f"{name} unless")
                        for lang in LANGUAGES]
        return raw

    def others(self, node) -> list[tuple[str, str, str, Any]]:
        """`others`: what is told from elsewhere (`sources`) and of someone else (a sentence without the `texter`'s
        words; `someone_else` after "my" is another person), and the categories that are the texter's own."""
        if node is None:
            return []
        spec = self.mapping(node, "'others'")
        for name in ("sources", "unless", "texter", "someone_else", "own_only"):
            if name not in spec:
                self.fail(node, f"'others.{name}' is missing")
        u = self.u
        u.texter_words = frozenset(fold(w) for lang, items in self.per_language(spec["texter"], "'others.texter'").items()
                                   for w, _ in items)
        u.someone_else = frozenset(fold(w) for lang, items in
                                   self.per_language(spec["someone_else"], "'others.someone_else'").items() for w, _ in items)
        own = [w for w, _ in self.strings(spec["own_only"], "'others.own_only'")]
        unknown = sorted(set(own) - set(u.categories))
        if unknown:
            self.fail(spec["own_only"], f"'others.own_only': unknown category {unknown[0]!r}")
        u.own_only = frozenset(own)
        stands = [w for w, _ in self.strings(spec["stands"], "'others.stands'")] if "stands" in spec else []
        unknown = sorted(set(stands) - set(u.categories))
        if unknown:
            self.fail(spec["stands"], f"'others.stands': unknown category {unknown[0]!r}")
        u.stands_when_told = frozenset(stands)
        raw = [(SOURCE, lang, text, entry) for lang, items in self.per_language(spec["sources"], "'others.sources'").items()
               for text, entry in items]
        raw += [(SOURCE_UNLESS, lang, text, entry)
                for lang, items in self.per_language(spec["unless"], "'others.unless'").items() for text, entry in items]
        return raw

    def figures(self, node) -> list[tuple[str, str, str, Any]]:
        """`figures`: doers of whom a threat, a blow or a cage is a figure of speech ("my mom is gonna kill me",
        "el calor nos va a matar"), the `people` who may mean it, and what is never a figure (`unless`)."""
        if node is None:
            return []
        spec = self.mapping(node, "'figures'")
        for name in ("people", "doers", "unless", "determiners", "places", "joins"):
            if name not in spec:
                self.fail(node, f"'figures.{name}' is missing")
        self.u.determiners = frozenset(fold(w) for w, _ in self.strings(spec["determiners"], "'figures.determiners'"))
        self.u.places_words = frozenset(fold(w) for w, _ in self.strings(spec["places"], "'figures.places'"))
        self.u.joins = frozenset(fold(w) for w, _ in self.strings(spec["joins"], "'figures.joins'"))
        places: dict[str, str] = {}
        phrases = self.per_language(spec["people"], "'figures.people'")
        raw = [(PEOPLE, lang, text, entry) for lang in LANGUAGES for text, entry in phrases[lang]]
        self.u.people_words = frozenset(fold(text) for lang in LANGUAGES for text, _ in phrases[lang] if " " not in text)
        self.u._figures[PEOPLE] = frozenset()
        phrases = self.per_language(spec["unless"], "'figures.unless'")
        raw += [(FIGURES_UNLESS, lang, text, entry) for lang in LANGUAGES for text, entry in phrases[lang]]
        if not isinstance(spec["doers"], yaml.SequenceNode):
            self.fail(spec["doers"], "'figures.doers' must be a list of {cancels: [categories], en: [...], es: [...]}")
        for n, item in enumerate(spec["doers"].value):
            fields = self.mapping(item, "a figure's doers")
            cancels = fields.get("cancels")
            names = [str(c.value) for c in cancels.value] if isinstance(cancels, yaml.SequenceNode) else []
            unknown = [c for c in names if c not in self.u.categories]
            if not names or unknown:
                self.fail(cancels or item, f"figures: 'cancels' must list danger categories (unknown: {unknown})")
            name = f"figure {n + 1}"
            self.u._figures[name] = frozenset(names)
            if "as_place" in fields:
                where = str(fields["as_place"].value)
                if where not in ("after", "anywhere"):
                    self.fail(fields["as_place"], "a figure's 'as_place' is 'after' (the danger) or 'anywhere'")
                places[name] = where
            phrases = self.per_language(item, name)
            raw += [(name, lang, text, entry) for lang in LANGUAGES for text, entry in phrases[lang]]
        self.u._places = places
        return raw

    def per_language(self, node, what: str) -> dict[str, list[tuple[str, Any]]]:
        spec = {k: v for k, v in self.mapping(node, what).items() if k not in ("cancels", "unless", "as_place")}
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

    def elements(self, text: str, lang: str, node, exact: bool = False) -> tuple[tuple[Any, ...], ...]:
        stem = self.u._stemmers[lang].stemWord
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
