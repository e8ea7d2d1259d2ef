"""Where a danger phrase stands in a message: its clause, its doer, and whether a reassurance or a story of
someone else settles it. The reader (bot/understanding.py) is a Clauses over the compiled Lexicon."""
from __future__ import annotations

from bisect import bisect_right

from bot.lexicon import OBJECT_DETERMINERS, Lexicon
from bot.patterns import Words
from bot.understanding_sections import PEOPLE

DOER_REACH = 6  # how far from a danger match its doer is looked for, within the clause
_CLITIC_STARTS = frozenset({"me", "nos", "te"})
_OPINION = frozenset({"think", "believe", "guess", "suspect"})
# The texter's words that may be someone else's too: "my passport" is theirs, "my cousin" is another person.
_POSSESSIVES = frozenset({"my", "our", "mi", "mis", "nuestro", "nuestra", "nuestros", "nuestras"})
# Words that make the texter a place, not who it happens to: "a ring busted near us", "cerca de nosotros".
_NEAR = frozenset({"near", "nearby", "around", "cerca", "alrededor"})
_TOLD = frozenset({"told", "tells", "texted", "wrote", "messaged", "warned", "conto", "dijo", "cuenta", "platico",
                   "escribio", "comento", "explico"})
_SUBJECTS = frozenset({"you", "the", "a", "an", "this", "that", "there", "now", "then"})
# A join, and the texter as the subject after one: "lo deportaron el ano pasado y yo tengo la custodia" tells two
# things, and only the second is the texter's.
_AND = frozenset({"and", "but", "y", "pero"})
_I = frozenset({"i", "we", "yo", "nosotros", "nosotras"})
# Told as happening again, or just now: the past phrase in the message does not cover it ("su marido le pegaba hace
# tiempo y ayer le volvio a pegar").
_AGAIN = frozenset({"again", "yesterday", "tonight", "ayer", "anoche", "volvio", "volvieron", "vuelve", "vuelven"})
# A hedge ("its prob nothing", "idk", "im ok for now") and then a contrast: what follows is what the texter means.
HEDGES = ("reassured", "unsure", "played_down")
_NERVOUS = ("unsure", "played_down")  # the hedges a laugh beside is nerves with ("whatever lol"; not "im ok lol")
_CONTRASTS = frozenset({"but", "pero", "though", "tho", "although", "however", "aunque", "sino", "except"})
# Two words that say "except that": "its just that he took my phone", "solo que no me dejan salir".
_CONTRAST_PAIRS = frozenset({("just", "that"), ("solo", "que"), ("nomas", "que"), ("only", "that"), ("es", "que")})
# A pronoun that only picks up the doer just named: "my son, he grabbed my phone", "my coach said he'd kill us". Only
# across a comma or a verb of saying, and only when the pronoun can be that doer ("my mom said he would kill me":
# "he" is someone else, and stands).
_PRONOUNS = {"he": "male", "she": "female", "el": "male", "ella": "female"}  # "they" may be anyone
_REPORTING = frozenset({"said", "says", "say", "told", "tells", "texted", "yelled", "swore", "joked", "dijo", "dice",
                        "grito", "que", "us", "me", "nos"})
# A blow told laughing as what someone is going to do is a threat ("lol my sister is gonna strangle me", "threatens to
# smack us with the chancla lmao"): where the doer's threats are hyperbole, so is this one. A blow told as done, or
# without a laugh ("my dad is going to beat me when he sees my grades"), stays a blow.
_FUTURE = frozenset({"going", "will", "would", "threatens", "threatened", "threaten", "va", "van", "amenaza"})
# Danger told as now, in its stretch of the message (up to a "but" or a stop): "that was years ago, but he still follows
# me", "sali de eso hace anos pero ahora me sigue amenazando", "im not safe anymore": no past told over settles it.
_NOW = frozenset({"now", "tonight", "today", "yesterday", "again", "keeps", "keep", "still", "lately", "recently",
                  "currently", "anymore", "ahora", "hoy", "ayer", "anoche", "sigue", "siguen", "todavia", "aun",
                  "ultimamente", "otra"})
# What a film, a show or a book holds (Clauses.in_story): the people told after one of these are in the story.
_STORY_HOLDS = frozenset({"had", "has", "about", "starring", "features", "featured", "showed", "shows", "trata",
                          "sobre"})
_STORY_REACH = 3
# Spanish says who by the verb: after "dijo que", a verb of one person is the sayer's ("mi mama dijo que me va a
# matar"); of several, someone else's ("mi mama dice que me van a matar").
_SAYS_ONE = frozenset({"dijo", "dice", "decia", "grito", "escribio", "aviso"})
_PLURAL = frozenset({"van", "quieren", "pueden", "iban", "querian", "piensan", "amenazan", "vamos", "dicen", "tienen"})
# A feeling told as then, a few words after one of these in its clause ("i was so scared back then", "tuve mucho
# miedo esa vez", "estuve en peligro"): with a reassurance, it is over too. Only feelings: a blow or a threat
# told so ("i was hit") stands as it did.
_FELT = frozenset({"fear", "hiding", "not_safe"})
_WAS = frozenset({"was", "were", "estaba", "estabamos", "estaban", "estuve", "estuvimos", "anduve", "andaba", "tuve",
                  "tuvimos", "tenia", "teniamos", "senti", "sentia", "sentimos", "sentiamos", "vivia", "viviamos"})
FELT_REACH = 3
_WERE_AFTER = frozenset({"we", "they", "you"})
_GENDER = {**dict.fromkeys(("mom", "moms", "mother", "mum", "mommy", "mama", "momma", "sister", "sis", "grandma", "granny",
                            "nana", "abuela", "wife", "aunt", "tia", "daughter", "niece", "girlfriend", "mami", "madre",
                            "hermana", "hermanita", "suegra", "cunada", "esposa", "hija", "sobrina", "maestra",
                            "profesora", "entrenadora", "companera", "amiga", "nena", "abue"), "female"),
           **dict.fromkeys(("dad", "father", "papa", "pops", "brother", "bro", "grandpa", "son", "nephew", "uncle",
                            "husband", "boyfriend", "papi", "padre", "hermano", "hermanito", "abuelo", "suegro", "hijo",
                            "sobrino", "maestro", "profesor", "entrenador", "companero", "amigo", "nene"), "male")}


def stretch(words: Words, i: int) -> tuple[int, int]:
    """The clause holding word i: from the break at or before it to the next one (or the message's ends)."""
    return (max((b for b in words.breaks if b <= i), default=0),
            min((b for b in words.breaks if b > i), default=len(words.surface)))


class Clauses(Lexicon):
    """The clause-level reading a Lexicon's words allow."""

    def doer(self, words: Words, doers: list[tuple[int, int, str]], start: int, end: int) -> str:
        """Who does what a danger match says: the doer nearest before it in its clause (or the match's own first
        word: "they will not let me"), else the nearest after it ("me va a matar mi mama"); PEOPLE when none is
        named, so the danger stands. A doer past a join ("and", "que") or after a word that says where ("en el
        trabajo") is not this match's."""
        low, high = stretch(words, start)
        before = [(s, e, name) for s, e, name in doers if low <= s <= start and e <= end and start - e <= DOER_REACH
                  and not self.joined(words, e, start) and self.subject_kept(words, low, s, e, start)
                  and (self.figure_places.get(name) in ("anywhere", "holder") or not self.after_place_word(words, s))]
        story = self.in_story(words, doers, start)
        if before:
            s, _, name = max(before)
            return name if name != PEOPLE else story or self.antecedent(words, doers, s)
        if story:
            return story
        # After it, a doer is the subject only right after the verb ("me va a matar mi mama", not "they threatened my kids"),
        # else the object, unless it says where ("una paliza en el futbol"), or is a game beaten ("beat the other team").
        after = [(s, name) for s, e, name in doers if end <= s < high and s - end <= DOER_REACH
                 and not self.joined(words, end, s)
                 and ((self.figure_places.get(name) in ("after", "anywhere") and self.after_place_word(words, s))
                      or end < s and all(w in self.determiners and w not in self.places_words
                                         and (w not in OBJECT_DETERMINERS or name in self.figure_places)
                                         for w in words.surface[end:s]))]
        return min(after)[1] if after else PEOPLE

    def figured(self, words: Words, doers: list[tuple[int, int, str]], meaning: str, start: int, end: int,
                laughed: bool) -> bool:
        """Whether the doer of a danger match makes it a figure of speech ("my mom is gonna kill me"); `laughed`:
        whether a laugh is told in the message (a `laugh: true` context)."""
        group = self.figure_groups[self.doer(words, doers, start, end)]
        if meaning in group:
            return True
        low = max((b for b in words.breaks if b <= start), default=0)
        return (meaning == "violence" and "threat" in group and laughed
                and not _FUTURE.isdisjoint(words.surface[max(low, start - 3):end]))

    def in_story(self, words: Words, doers: list[tuple[int, int, str]], start: int) -> str:
        """The story a danger match at `start` is told of, as what it holds: "the movie had a guy with a machete",
        "the show is about a man who…", "la serie trata de un tipo que…"; else "". Not across a stop or a join ("the
        movie had just started when he grabbed me")."""
        surface = words.surface
        for _, e, name in doers:
            if self.figure_places.get(name) != "anywhere" or e > start:
                continue
            held = [h for h in range(e, min(e + _STORY_REACH, start)) if surface[h] in _STORY_HOLDS
                    and (surface[h + 1] in self.determiners or surface[h + 1] in self.people_words)]
            if held and not any(e <= b <= start for b in words.breaks) and not self.joined(words, held[0], start):
                return name
        return ""

    @staticmethod
    def antecedent(words: Words, doers: list[tuple[int, int, str]], s: int) -> str:
        """The group of the doer a pronoun at s picks up ("my son, he…", "my coach said he…"), else PEOPLE."""
        pronoun = _PRONOUNS.get(words.surface[s])
        named = [(e, b, name) for b, e, name in doers if e <= s] if pronoun is not None else []
        if not named:
            return PEOPLE
        e, b, name = max(named)  # the doer named last: if it may mean harm ("my boyfriend, he…"), so does the pronoun
        gap = words.surface[e:s]
        # Named as the texter's own ("my son", "mi hijo"), not an object ("with the baby, he took my keys").
        if b == 0 or words.surface[b - 1] not in _POSSESSIVES:
            return PEOPLE
        if not (gap or s in words.breaks) or not all(w in _REPORTING for w in gap):
            return PEOPLE
        gender = _GENDER.get(words.surface[e - 1], "")
        return PEOPLE if pronoun and gender and gender != pronoun else name

    def joined(self, words: Words, i: int, j: int) -> bool:
        """Whether a join between words i and j starts another clause. "and" straight before a verb keeps the
        subject ("my dog escaped the yard and hid under the porch"); before another subject it does not. Nor does
        "que" after one saying it, with a verb of one person: "mi hermana dijo que me va a matar" is hers."""
        surface = words.surface
        return any(w in self.joins and not (w == "and" and k + 1 < len(surface)
                                            and not self.names_a_subject(surface[k + 1]))
                   and not (w == "que" and i < k <= i + 2 and surface[k - 1] in _SAYS_ONE
                            and _PLURAL.isdisjoint(surface[k + 1:k + 4]))
                   for k, w in enumerate(surface[i:j], i))

    def subject_kept(self, words: Words, low: int, s: int, e: int, start: int) -> bool:
        """Across "and" before a verb, the doer kept is the earlier clause's subject ("my dog escaped the yard and
        hid"), which starts it; a doer after other words there is that verb's object ("i take care of her kids and
        clean from 5am to midnight": the texter cleans)."""
        surface = words.surface
        if "and" not in surface[e:start]:
            return True
        return all(w in self.determiners or w in _POSSESSIVES for w in surface[low:s])

    def names_a_subject(self, word: str) -> bool:
        return word in self.boundaries or word in self.people_words or word in self.texter_words or word in _SUBJECTS

    def after_place_word(self, words: Words, i: int) -> bool:
        """Whether the words before i say where, not who ("en el trabajo me encierran": work is the place)."""
        for word in reversed(words.surface[max(0, i - 3):i]):
            if word in self.places_words:
                return True
            if word not in self.determiners:
                return False
        return False

    def settled_by_reassurance(self, words: Words, danger: dict, reassured: list[int]) -> set[str]:
        """The danger a reassurance settles: what it read in the reassurance's own clause ("no pasa nada estoy
        bien"). Danger in another clause stands on its own ("estoy bien pero me quiere matar"), and a
        must-catch phrase is never settled (safety rule 6: unsure is danger)."""
        if not reassured or not danger:
            return set()
        clauses = self.clause_starts(words)
        settling = {self.clause_of(clauses, start) for start in reassured}
        return {c for c, (_, start, sure) in danger.items() if not sure and self.clause_of(clauses, start) in settling}

    def told_of_others(self, words: Words, danger: dict, sources: list[tuple[int, int]], past: bool,
                       where: dict[str, list[int]] | None = None) -> set[str]:
        """Danger told from elsewhere ("in the news", "my professor said") and, for what is only ever the texter's
        own (`own_only`: deportation), told of someone else in the past ("my cousin got deported last year"):
        settled when no sentence it is told in names the texter (`where`: each category's matches, else the one
        in `danger`; "my cousin got deported last year and now they say they will deport me" stands). A
        must-catch phrase never is."""
        if not danger or not (sources or past):
            return set()
        where = where or {}
        return {c for c, (_, start, sure) in danger.items()
                if not sure and c not in self.stands_when_told and (sources or c in self.own_only)
                and not any(self.names_texter(words, s, sources) or not sources and self._again(words, s)
                            for s in where.get(c, (start,)))}

    @staticmethod
    def _again(words: Words, i: int) -> bool:
        """Whether the sentence holding word i tells it as happening again or just now ("ayer le volvio a pegar")."""
        low, high = stretch(words, i)
        return not _AGAIN.isdisjoint(words.surface[low:high])

    def names_texter(self, words: Words, i: int, skip: list[tuple[int, int]]) -> bool:
        """Whether the sentence holding word i (between stops and commas) speaks of the texter: "i", "me", "nos",
        "my passport"; not "my cousin", and not the words of the source ("my professor said")."""
        low, high = stretch(words, i)
        surface = words.surface
        # Within it, the clause of word i: from after the last join before it, to a join that makes the texter
        # the subject of what follows ("... and i have custody now").
        low = max((k + 1 for k in range(low, i) if surface[k] in _AND), default=low)
        high = min((k for k in range(i + 1, high - 1) if surface[k] in _AND and surface[k + 1] in _I), default=high)
        for j in range(low, high):
            if surface[j] not in self.texter_words or any(s <= j < e for s, e in skip):
                continue
            if surface[j] in _POSSESSIVES and any(w in self.someone_else for w in surface[j + 1:min(j + 3, high)]):
                continue  # "my little sister", "mi prima": someone else
            if j + 1 < high and surface[j + 1] in _OPINION:
                continue  # "i think", "i believe": what the texter makes of it, not the texter in it
            if surface[j] == "me" and _TOLD & set(surface[max(low, j - 1):min(high, j + 2)]):
                continue  # "my neighbor told me", "mi amiga me conto": the texter hears the story, is not in it
            if _NEAR & set(surface[max(low, j - 2):j]) and surface[j] not in _POSSESSIVES:
                continue  # "near us", "cerca de nosotros": where it happened, not to whom
            return True
        return False

    @staticmethod
    def insisted_at(words: Words, found: dict) -> int:
        """Where danger starts to be told against a hedge: at the first contrast after the first hedge ("its whatever
        pero my boss keeps my whole paycheck lol", "im ok for now but the boss is sitting right next to me"); the
        message's end when there is none. Danger told from there is meant: a laugh beside it is nerves, and the
        statistical backstop does not overrule it. Danger before it stays as it was ("its a joke lol but im ok")."""
        surface = words.surface
        first = min((s for name in HEDGES for s, _, _ in found.get(name, ())), default=len(surface))
        return next((i for i in range(first + 1, len(surface))
                     if surface[i] in _CONTRASTS or tuple(surface[i:i + 2]) in _CONTRAST_PAIRS), len(surface))

    @staticmethod
    def laugh_reach(words: Words, laughs: list[tuple[int, int]], found: dict, insisted: int) -> int:
        """Where a laugh ("lol", "jaja") stops cancelling danger: at the end of the last laugh's sentence, since a
        laugh says how what came before it was meant, not what follows ("lol idk the math anymore, i work every
        day and the debt just keeps going up"); a laugh said with a hedge ("whatever lol", "lol idk") is the
        hedge's nerves and reaches only what came before it, though not with a reassurance ("im ok lol i got locked
        in the bathroom at work"); and nothing from where danger is insisted on."""
        hedges = [(s, e) for name in _NERVOUS for s, e, _ in found.get(name, ())]
        reach = 0
        for s, e in laughs:
            if any(he == s or e == hs for hs, he in hedges):
                reach = max(reach, s)
            else:
                reach = max(reach, min((b for b in words.breaks if b > s), default=len(words.surface)))
        return min(insisted, reach)

    @staticmethod
    def felt_then(words: Words, start: int, category: str) -> bool:
        """Whether a feeling is told as then: "was", "tuve", "estaba" a few words before it in its clause, or
        its first word ("were hiding")."""
        if category not in _FELT:
            return False
        low = max((b for b in words.breaks if b <= start), default=0)
        surface = words.surface
        # "were" alone is as often "we're" typed without its apostrophe ("we got out and were hiding"): it is
        # the past only after its subject.
        return any(surface[k] in _WAS and (surface[k] != "were" or k > low and surface[k - 1] in _WERE_AFTER)
                   for k in range(max(low, start - FELT_REACH), start + 1))

    def over(self, words: Words, danger: dict, where: dict[str, list[int]]) -> set[str]:
        """The danger told as over, once a past and a reassurance are told: all but a must-catch phrase and what is
        told as now in its own stretch of the message ("years ago, im ok, but he keeps texting me threats")."""
        return {c for c, (_, start, sure) in danger.items()
                if not sure and not any(self.told_as_now(words, i) for i in where.get(c, (start,)))}

    @staticmethod
    def told_as_now(words: Words, i: int) -> bool:
        """Whether the stretch holding word i, between stops, commas and a "but", says now ("still", "ahora")."""
        surface = words.surface
        low, high = stretch(words, i)
        low = max((k for k in range(low, i + 1) if surface[k] in _CONTRASTS), default=low)
        high = min((k for k in range(i + 1, high) if surface[k] in _CONTRASTS), default=high)
        return not _NOW.isdisjoint(surface[low:high])

    def clause_starts(self, words: Words) -> list[int]:
        """Where each clause starts: after a comma or full stop, at a word that starts another subject, or at
        an object pronoun that starts a verb of its own ("estoy bien me vigilan")."""
        return [0] + [i for i in range(1, len(words.surface))
                      if i in words.breaks or words.surface[i] in self.boundaries or words.surface[i] in _CLITIC_STARTS]

    @staticmethod
    def clause_of(starts: list[int], i: int) -> int:
        return bisect_right(starts, i)

