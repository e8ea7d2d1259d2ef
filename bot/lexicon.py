"""The compiled words of flows/understanding.yaml, and how a message's text becomes the words patterns match.

bot/understanding_file.py fills a Lexicon from the file (and reads its own patterns with it, to check each
can match); bot/understanding.py's reader is a Lexicon that also reads danger and meanings. One direction
only: this module imports neither of them.

Text is read the way people type it: case, accents and repeated letters ("pleeease") are folded, texting
forms expanded ("hes" → "he is", "xfa" → "por favor"), every word is stemmed in English and in Spanish
(hits/hitting → hit, pegan/pegó → peg) and a one-letter typo in a longer word is corrected towards the
words the patterns use ("scard" → "scared", "kil" → "kill", "hitt" → "hit"; a letter left out, typed twice
or two swapped, never one changed, which too often makes another real word).
"""
from __future__ import annotations

import re

import Stemmer
from rapidfuzz.distance import OSA

from bot.danger_model import MIN_WORDS
from bot.intents import fold
from bot.must_catch import MustCatch
from bot.patterns import Gated, Words, number_of, reads_past

LANGUAGES = ("en", "es")
# English puts the subject before its verb: a doer right after a verb, behind "my" or "the", is its object ("they
# threatened my kids", "he hit my dog"), as Spanish's "me va a matar mi mama" is not.
OBJECT_DETERMINERS = frozenset({"my", "the", "an", "our", "his", "her", "their", "your", "this", "that", "these",
                                 "those"})
# Words, numbers ("8am" is two words: 8, am), emoji (each a word of its own), and what ends a clause.
_WORD = re.compile(r"[^\W\d_]+|\d+|[\u2600-\u27bf\U0001f300-\U0001faff]|[.!?;,:\n]+")
_CLAUSE_ENDS = frozenset(".!?;,:\n")
_RUN = re.compile(r"(\w)\1{2,}")
# A Spanish infinitive or gerund with its object pronoun attached ("venderla", "irse", "buscandome"): read as
# the verb and the pronoun, as the patterns are written ("vender la", "ir se"), when the verb is one they use.
_ATTACHED = re.compile(r"^(\w*?(?:ar|er|ir|ando|iendo))(me|te|se|nos|la|lo|las|los|le|les)$")
_SHORT_VERBS = frozenset({"ir", "ver", "dar"})
# Verbs the Spanish stemmer leaves whole ("usarme", "echarle", "abrirnos" still come apart).
_WHOLE_VERBS = frozenset({"ir", "ver", "dar", "oir", "reir", "huir", "usar", "echar", "abrir"})
# How Spanish is typed by ear: these spell the same sound ("golpisa" is "golpiza", "bolvio" is "volvio").
_SAME_SOUND = (("ch", "ç"), ("qu", "k"), ("ce", "se"), ("ci", "si"), ("c", "k"), ("z", "s"), ("v", "b"), ("ll", "y"),
               ("ge", "je"), ("gi", "ji"), ("h", ""))
_DOUBLE = re.compile(r"(\w)\1")
# "No para de" is "keeps on", no negation: "la deuda no para de subir", "el patron no me deja de amenazar", "nunca
# han parado de cobrarnos" are read as "sigue ...", so what goes on is not read as denied.
_KEEPS_ON = re.compile(r"\b(?:no|nunca|jamas) ((?:me|te|se|le|les|nos|lo|la|los|las) )?(?:(?:ha|han|he|hemos) )?"
                       r"(?:par|dej)(?:a|an|o|aron|aba|aban|ado|as|amos|e|en)? de\b")
_CACHE_LIMIT = 50_000


class Lexicon:
    """What the compiler makes of the file: words, spellings, negations, patterns by language and first key."""

    context_also: frozenset[str] = frozenset()  # contexts that count only with their `also` phrases found
    figure_unless: frozenset[str] = frozenset()  # doers' groups with an `unless` of their own
    _cache: dict[str, tuple[str, ...]]  # typed word → the words it stands for
    _guesses: set[str]  # typed words whose word is a typo corrected (_corrected): patterns.as_guessed

    def __init__(self) -> None:
        self.stemmers = {"en": Stemmer.Stemmer("english"), "es": Stemmer.Stemmer("spanish")}
        self.spellings: dict[str, tuple[str, ...]] = {}
        self.common: frozenset[str] = frozenset()
        self.boundaries: frozenset[str] = frozenset()
        self.categories: tuple[str, ...] = ()
        self.meanings: dict[str, str | None] = {}  # meaning → what it means when negated
        self.negators: list[tuple[str, ...]] = []  # longest first: "no one" before "no"
        self.negator_words: frozenset[str] = frozenset()  # the negations of one word ("not", "nunca")
        self.conditionals: frozenset[str] = frozenset()
        self.negation_skips: frozenset[str] = frozenset()  # "has", "ever": not counted in a negation's reach
        self.pleas: frozenset[str] = frozenset()  # words that, drawn out ("ayudaaa"), are an urgent plea
        self.pleas_alone: frozenset[str] = frozenset()  # words that, the whole message ("ayuda"), are an urgent plea
        self.saying: frozenset[str] = frozenset()  # "say", "digo": the "no" after them is said, not meant
        self.overrulable: frozenset[str] = frozenset()  # categories the model may overrule (backstop:)
        self.overrule_below, self.overrule_long, self.sure_above = 0.0, (0, 0.0, frozenset[str]()), 1.0  # backstop:
        self.negator_index: dict[str, tuple[tuple[str, ...], ...]] = {}
        self.patterns_by_lang: dict[str, dict[str, Gated]] = {}  # lang → first-stem key → its patterns, gated
        self.fuzzy_index: dict[str, set[str]] = {}
        self.sound_index: dict[str, str] = {}  # how a pattern word sounds (sounds_like) → the word
        self.fillers: frozenset[str] = frozenset()  # "ever", "siempre": a pattern reads past them
        self.vocab_words: set[str] = set()
        self.known_stems: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
        self._cache, self._guesses = {}, set()
        self._stem_cache: dict[str, tuple[str, ...]] = {}  # word → "=" + it, then its stem in each language
        self.context_groups: dict[str, frozenset[str]] = {}  # context name → the categories it cancels
        self.supposing: frozenset[str] = frozenset()  # contexts that suppose ("what if someone"): their sentence
        self.backstop_contexts: frozenset[str] = frozenset()  # contexts after which the backstop is still asked
        self.laughs: frozenset[str] = frozenset()  # contexts that laugh ("lol"): danger insisted on stands against them
        self.figure_groups: dict[str, frozenset[str]] = {}  # doers' name → what said of them is a figure of speech
        self.figure_places: dict[str, str] = {}  # doers that say where too ("en el partido"): "after" or "anywhere"
        self.determiners: frozenset[str] = frozenset()  # "the", "el": skipped to find the word before a doer
        self.places_words: frozenset[str] = frozenset()  # "at", "en": after one, a doer is a place, not who
        self.joins: frozenset[str] = frozenset()  # "and", "que": a doer past one is another clause's
        self.must_catch: tuple[MustCatch, ...] = ()
        self.texter_words: frozenset[str] = frozenset()  # "i", "me", "nos": the texter is in the sentence
        self.someone_else: frozenset[str] = frozenset()  # "cousin", "maestra": after "my", someone else
        self.own_only: frozenset[str] = frozenset()  # told of someone else in the past: theirs ("he used to hit her")
        self.stands_when_told: frozenset[str] = frozenset()  # never settled as told of others (a minor)
        self.people_words: frozenset[str] = frozenset()  # "novio", "boss": a doer named starts a clause of its own

    def overrules_below(self, categories: tuple[str, ...], words: int) -> float:
        """How unlikely the model must find danger to overrule what the patterns read (none of it must-catch):
        only a soft category (`backstop.overrules`), or any but a blow or papers held in a long message
        (`backstop.long`): asked about politely and at length ("buenas tardes, quisiera saber si es normal que el
        encargado nos empuje") they read unlike danger to the model, and are danger."""
        soft = self.overrule_below if set(categories) <= self.overrulable and words >= MIN_WORDS else 0.0
        told_long = words >= self.overrule_long[0] > 0 and self.overrule_long[2].isdisjoint(categories)
        return max(soft, self.overrule_long[1] if told_long else 0.0)

    def words(self, text: str) -> Words:
        surface: list[str] = []
        marked: list[str] = []
        breaks: set[int] = set()
        stems: list[list[str]] = [[] for _ in LANGUAGES]
        guessed: list[int] = []
        cache, spelled = self._stem_cache, self._spelled
        folded = fold(text).replace("'", "")
        if " de" in folded and ("dej" in folded or "par" in folded):  # the words _KEEPS_ON needs: most texts lack them
            folded = _KEEPS_ON.sub(r"sigue \1", folded)
        for piece in _WORD.findall(folded):
            if piece[0] in _CLAUSE_ENDS:
                breaks.add(len(surface))
                continue
            said = spelled(piece)
            if piece in self._guesses:
                guessed.append(len(surface))
            for word in said:
                known = cache.get(word)  # the word as written ("=" + it) and its stem in each language
                if known is None:
                    known = ("=" + word, *(self.stemmers[lang].stemWord(word) for lang in LANGUAGES))
                    if len(cache) < _CACHE_LIMIT:
                        cache[word] = known
                surface.append(word)
                marked.append(known[0])
                for n, stem in enumerate(known[1:]):
                    stems[n].append(stem)
        if len(surface) == 1 and surface[0] in self.pleas_alone:
            return self.words(surface[0] + " urgente")  # "ayuda", the whole message: a plea, not a topic
        numbers = {i: value for i, w in enumerate(surface) if (value := number_of(w)) is not None}
        return Words(surface, marked, dict(zip(LANGUAGES, stems)), breaks, tuple(guessed),
                     frozenset(i for i in range(len(surface)) if reads_past(surface, i, self.fillers)), numbers)

    def _spelled(self, piece: str) -> tuple[str, ...]:
        """One typed word as the words it stands for: squeezed, expanded, its typo corrected."""
        cached = self._cache.get(piece)
        if cached is not None:
            return cached
        word, stretched = piece, not piece.isdigit() and bool(_RUN.search(piece))  # "1000" is not "pleeease"
        if stretched:
            twice, once = _RUN.sub(r"\1\1", word), _RUN.sub(r"\1", word)
            word = twice if twice in self.vocab_words and once not in self.vocab_words else once
        spelled = self.spellings.get(word) or self._unattached(word) or (self._corrected(word),)
        # A typo corrected is a guess (patterns.as_guessed); "makin" for "making" is how the word is typed, not a typo.
        if spelled[0] not in (word, word + "g") and len(spelled) == 1 and word not in self.spellings and (
                len(self._guesses) < _CACHE_LIMIT):
            self._guesses.add(piece)
        if stretched and spelled[-1] in self.pleas:
            spelled += ("urgente",)  # "ayudaaa", "helppp": a plea drawn out is an urgent one
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[piece] = spelled
        return spelled

    def _unattached(self, word: str) -> tuple[str, ...] | None:
        """ "venderla" → ("vender", "la"): a verb the patterns know, and the pronoun attached to it."""
        if word in self.vocab_words or word in self.common:
            return None
        attached = _ATTACHED.match(word)
        if attached is None:
            return None
        verb = attached.group(1)
        if len(verb) < 4 and verb not in _SHORT_VERBS:
            return None  # "perla" is a pearl, "carla" a name
        if verb in self.vocab_words:
            return verb, attached.group(2)
        # A verb's ending comes off when it is stemmed ("golpear" → "golpe"); a word that only ends like one keeps
        # it ("fuerte" is not "fuer te", "muerte" not "muer te").
        stem = self.stemmers["es"].stemWord(verb)
        if (stem != verb or verb in _WHOLE_VERBS) and stem in self.known_stems["es"]:
            return verb, attached.group(2)
        return None

    def _corrected(self, word: str) -> str:
        """The pattern word one typo away, for words the patterns and the common words don't know."""
        if len(word) < 3 or word in self.vocab_words or word in self.common or word.isdigit():
            return word
        if any(self.stemmers[lang].stemWord(word) in self.known_stems[lang] for lang in LANGUAGES):
            return word
        for i in range(1, len(word)):  # a letter typed twice: "hitt", "ayudaa", "comming"
            if word[i] == word[i - 1] and word[:i] + word[i + 1:] in self.vocab_words:
                return word[:i] + word[i + 1:]
        candidates = set(self.fuzzy_index.get(word, ()))  # one letter left out: "kil", "scard", "hep"
        if len(word) >= 5:  # two letters swapped: "hlep", "psasport"
            candidates.update(c for i in range(len(word) - 1) for c in self.fuzzy_index.get(word[:i] + word[i + 1:], ())
                              if len(c) == len(word) and sorted(c) == sorted(word))
        # A changed letter is not corrected: too often it makes another real word a danger word
        # ("cansado" is not "candado", "enterrar" is not "encerrar").
        close = [c for c in candidates if len(c) >= 4 and OSA.distance(word, c, score_cutoff=1) <= 1]
        close.sort(key=lambda c: (c[0] != word[0], len(c) != len(word) + 1, c))
        if close:
            return close[0]
        # Spelled by ear, as many people write Spanish: "golpisa", "amenasa", "bolvio", "yorando".
        return self.sound_index.get(sounds_like(word), word) if len(word) >= 5 else word


def sounds_like(word: str) -> str:
    """The word with the letters that sound alike in Spanish made one (c/s/z, b/v, ll/y, g/j, silent h)."""
    for spelled, sound in _SAME_SOUND:
        if spelled in word:
            word = word.replace(spelled, sound)
    return _DOUBLE.sub(r"\1", word)
