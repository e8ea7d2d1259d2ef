"""The sections of flows/understanding.yaml other than the patterns themselves, read and checked: the must-catch
list, the backstop, contexts, told-of-others and figures of speech. Every mistake names its line."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.intents import fold
from bot.lexicon import LANGUAGES, Lexicon
from bot.must_catch import MustCatch, inflect

UNLESS = " unless"  # the patterns that switch a context off are named after it with this
ALSO = " also"  # the patterns a context needs found too (a question of rights, and "just curious")
PEOPLE = "figure people"  # doers who may mean a threat or a blow (he, my boyfriend, el patron)
FIGURES_UNLESS = "figure unless"  # a danger kept secret, or tied to leaving or the police: never a figure
PAST = "past"  # "years ago", "hace mucho": with a reassurance, the danger told is over
SOURCE = "context source"  # "in the news", "my professor said": told from elsewhere, of someone else
SOURCE_UNLESS = "context source unless"  # "that is what he does to me": the texter's own after all


class UnderstandingError(ValueError):
    """understanding.yaml is wrong; the message names the file and line."""


class Sections:
    """What bot/understanding_file.py's Compiler reads besides the patterns, into the Lexicon it fills."""

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

    def must_catch(self, node) -> tuple[MustCatch, ...]:
        """`must_catch`: per category and language, phrases with `{slots}` for the verb forms in `forms`."""
        if node is None:
            self.fail(None, "'must_catch' is missing: the phrases no reading may ever miss")
        spec = self.mapping(node, "'must_catch'")
        forms_node = spec.pop("forms", None)
        forms: dict[str, dict[str, Any]] = {lang: {} for lang in LANGUAGES}
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
        """`backstop`: the categories the statistical model may overrule, and how sure it must be; and how sure
        it must be of danger to stand against the patterns' "not danger" (`above`; 1: never)."""
        spec = self.mapping(node, "'backstop'")
        names = [w for w, _ in self.strings(spec.get("overrules"), "'backstop.overrules'")]
        below = spec.get("below")
        try:
            value = float(below.value) if below is not None else -1.0
        except (TypeError, ValueError):
            value = -1.0
        if not 0 < value < 0.5:
            self.fail(below or node, "'backstop.below' must be a probability under 0.5")
        above = spec.get("above")
        try:
            sure = float(above.value) if above is not None else 1.0
        except (TypeError, ValueError):
            sure = -1.0
        if not 0.5 < sure <= 1.0:
            self.fail(above, "'backstop.above' must be a probability over 0.5")
        self.u.overrulable, self.u.overrule_below, self.u.sure_above = frozenset(names), value, sure
        self.u.overrule_long = self._long(spec.get("long"))
        self.backstop_node = node

    def _long(self, node) -> tuple[int, float, frozenset[str]]:
        """`backstop.long`: from how many words the model may overrule any category but those it `never` may,
        and below what."""
        if node is None:
            return 0, 0.0, frozenset()
        spec = self.mapping(node, "'backstop.long'")
        try:
            words, below = int(spec["words"].value), float(spec["below"].value)
        except (KeyError, TypeError, ValueError):
            words, below = 0, -1.0
        if words < 8 or not 0 < below < 0.5:
            self.fail(node, "'backstop.long' needs words (8 or more) and below (a probability under 0.5)")
        never = spec.get("never")
        return words, below, frozenset(w for w, _ in self.strings(never, "'backstop.long.never'")) if never else frozenset()

    def context(self, node) -> list[tuple[str, str, str, Any]]:
        """`context`: phrases that, anywhere in a message, say some categories are not meant (a joke, a class)."""
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, "'context' must be a list of {cancels: [categories], en: [...], es: [...]}")
        raw = []
        for n, item in enumerate(node.value):
            spec = self.mapping(item, "a context")
            name = f"context {n + 1}"
            self.u.context_groups[name] = self.cancels(spec.pop("cancels", None), item, "context")
            unless = spec.pop("unless", None)  # "lol not joking": the joke is off
            also = spec.pop("also", None)  # "can they keep my tips?" counts only with "just curious" found too
            scope = spec.pop("scope", None)  # "sentence": a supposition, which governs even a must-catch phrase
            # "asks_backstop: true": the context says how a word is meant (a knife as a tool), not that the message
            # is settled, so the statistical backstop is still asked when no pattern read danger.
            asks = spec.pop("asks_backstop", None)
            # "laugh: true": a laugh ("lol", "jaja"), which does not cancel danger insisted on against a hedge.
            if str(getattr(spec.pop("laugh", None), "value", "false")).lower() == "true":
                self.u.laughs |= {name}
            if asks is not None:
                if str(asks.value).lower() not in ("true", "false"):
                    self.fail(asks, "a context's 'asks_backstop' is true or false")
                if str(asks.value).lower() == "true":
                    self.u.backstop_contexts |= {name}
            if scope is not None:
                if str(scope.value) != "sentence":
                    self.fail(scope, "a context's 'scope' is 'sentence' (it cancels must-catch phrases in its sentence)")
                self.u.supposing |= {name}
            phrases = self.per_language(item, name)
            raw += [(name, lang, text, entry) for lang in LANGUAGES for text, entry in phrases[lang]]
            if unless is not None:
                raw += [(name + UNLESS, lang, text, entry) for text, entry in self.strings(unless, f"{name} unless")
                        for lang in LANGUAGES]
            if also is not None:
                self.u.context_also |= {name}
                raw += [(name + ALSO, lang, text, entry) for text, entry in self.strings(also, f"{name} also")
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
        self.u.figure_groups[PEOPLE] = frozenset()
        phrases = self.per_language(spec["unless"], "'figures.unless'")
        raw += [(FIGURES_UNLESS, lang, text, entry) for lang in LANGUAGES for text, entry in phrases[lang]]
        if not isinstance(spec["doers"], yaml.SequenceNode):
            self.fail(spec["doers"], "'figures.doers' must be a list of {cancels: [categories], en: [...], es: [...]}")
        for n, item in enumerate(spec["doers"].value):
            fields = self.mapping(item, "a figure's doers")
            name = f"figure {n + 1}"
            self.u.figure_groups[name] = self.cancels(fields.get("cancels"), item, "figures")
            if "as_place" in fields:
                where = str(fields["as_place"].value)
                if where not in ("after", "anywhere", "holder"):
                    self.fail(fields["as_place"], "a figure's 'as_place' is 'after' (the danger), 'anywhere' or 'holder' "
                                                  "(after a place word, before the danger only: who holds it)")
                places[name] = where
            phrases = self.per_language(item, name)
            raw += [(name, lang, text, entry) for lang in LANGUAGES for text, entry in phrases[lang]]
            if "unless" in fields:  # "a taquero's knife", but not his gun: this group's doers are no figure then
                self.u.figure_unless |= {name}
                raw += [(name + UNLESS, lang, text, entry) for text, entry in self.strings(fields["unless"], f"{name} unless")
                        for lang in LANGUAGES]
        self.u.figure_places = places
        return raw

    def cancels(self, node, item, what: str) -> frozenset[str]:
        """A context's or a figure's `cancels`: the danger categories it sets aside, every one known."""
        names = [str(c.value) for c in node.value] if isinstance(node, yaml.SequenceNode) else []
        unknown = [c for c in names if c not in self.u.categories]
        if not names or unknown:
            self.fail(node or item, f"{what}: 'cancels' must list danger categories (unknown: {unknown})")
        return frozenset(names)

    def per_language(self, node, what: str) -> dict[str, list[tuple[str, Any]]]:
        spec = {k: v for k, v in self.mapping(node, what).items() if k not in ("cancels", "unless", "as_place", "scope",
                                                                                  "asks_backstop", "laugh", "also")}
        unknown = set(spec) - set(LANGUAGES)
        if unknown:
            self.fail(node, f"{what}: unknown language {sorted(unknown)} (the line speaks {', '.join(LANGUAGES)})")
        for lang in LANGUAGES:
            if lang not in spec:
                self.fail(node, f"{what} has no phrases in {lang!r}")
        return {lang: self.strings(spec[lang], f"{what} ({lang})") for lang in LANGUAGES}
