"""Where a negation reaches in a message: within its clause, a few words back, not past another subject, not
across a "no" that is said ("si digo que no") nor past "if" ("si no pago, me matan" is a threat). The reader
(bot/understanding.py) is a Negation over the clauses (bot/clauses.py) of the compiled words."""
from __future__ import annotations

from bot.clauses import Clauses
from bot.patterns import Words


# After "not", one of these closes the negation on a person set against another ("me, not them").
_CONTRASTED = frozenset({"him", "her", "them", "us", "you"})
# A conditional that, its accent dropped as most people type, is also "yes".
_ACCENTLESS_YES = frozenset({"si"})
# In the answer to a reassurance asked, these start another clause: its "no" is of something else ("si estoy bien,
# solo aburrida y no puedo dormir").
_OTHER_CLAUSE = frozenset({"and", "y", "i", "yo", "he", "she", "el", "ella", "they", "ellos", "we", "nosotros"})


class Negation(Clauses):
    """Whether a danger match is negated, and by which word."""

    def _negator_at(self, words: Words, i: int) -> bool:
        return self._negation_end(words, i) is not None

    def _negation_end(self, words: Words, i: int) -> int | None:
        """Where the negation that starts at word i ends ("no one" is two words), or None. "nada mas" is "only"
        ("nada mas me pega cuando toma": he hits her only when he drinks), not a negation."""
        if words.surface[i] == "nada" and words.surface[i + 1:i + 2] == ["mas"]:
            return None
        for option in self.negator_index.get(words.marked[i], ()):
            if tuple(words.marked[i:i + len(option)]) == option:
                return i + len(option)
        return None

    def _said(self, words: Words, i: int) -> bool:
        """Whether the word at i is a "no" someone says ("if i say no", "si digo que no")."""
        before = words.surface[max(0, i - 2):i]
        return words.surface[i] == "no" and bool(before) and (
            before[-1] in self.saying or (before[-1] == "que" and len(before) == 2 and before[0] in self.saying))

    def asked(self, words: Words, start: int) -> bool:
        """Whether a reassurance is asked, not said: right after "if" ("you asked if im safe", "no se si estoy
        bien"). "Si" opening its clause is "sí" typed without its accent: "si estoy a salvo", "si, estoy bien"."""
        if start == 0 or start in words.breaks or words.surface[start - 1] not in self.conditionals:
            return False
        return not (words.surface[start - 1] in _ACCENTLESS_YES and (start == 1 or start - 1 in words.breaks))

    def answered_no(self, words: Words, end: int) -> bool:
        """Whether what was asked is answered no in a clause of its own right after it ("if im safe, no, im not",
        "si estoy bien? la verdad no")."""
        if end not in words.breaks:
            return False
        for k in range(end, min(end + 4, len(words.surface))):
            if words.surface[k] in _OTHER_CLAUSE or (k > end and k in words.breaks):
                return False  # "si toy bien, solo aburria y no puedo dormir": that "no" answers nothing
            if self._negator_at(words, k):
                return True
        return False

    def _negated(self, words: Words, start: int, reach: int) -> bool:
        return self._negation_before(words, start, reach) is not None

    def _negation_before(self, words: Words, start: int, reach: int) -> int | None:
        """Where a negation starts within `reach` words before `start`, in the same clause; None if none."""
        if words.surface[start] in self.boundaries or words.surface[start] in self.people_words:
            return None  # the match starts its own clause: "no, i am ok", "no contesta, su novio la golpea"
        if self._negation_end(words, start) is not None:
            return None  # the match is a negation itself ("no days off no pay"): the one before does not undo it
        i, left = start, reach
        while i > 0 and left > 0:
            i -= 1
            if words.surface[i] not in self.negation_skips:
                left -= 1  # "nobody has ever hit me": "has" and "ever" do not take the negation's reach
            if i + 1 in words.breaks or words.surface[i] in self.boundaries:
                return None  # another clause, or another subject ("no he hits me")
            end = self._negation_end(words, i)
            if end is not None and self._said(words, i):
                return None  # "si digo que no, me pega": a no that is said, not a negation
            if end is not None and end < start and words.surface[end] in _CONTRASTED:
                return None  # "arrest me not them since im illegal": "not them" is said of them, and ends there
            if end is not None and end <= start:
                # "si no pago, me matan": after "if", a negation is about the next word only.
                # The "if" may start its clause ("lo cobra todo, si no quiero me pega"), but no break after it.
                conditional = any(words.surface[k] in self.conditionals and not any(
                    j in words.breaks for j in range(k + 1, i + 1)) for k in range(max(0, i - 3), i))
                return None if conditional and end < start else i
        return None
