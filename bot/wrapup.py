"""The wrap-up of a close: outcome codes from config/org.yaml `outcomes:`, never free words.

"CLOSE K7Q2 shelter legal": a word names a code when it is the code itself, or a part of it that no other
code has ("shelter" → shelter_booked, "legal" → referred_legal). Any other word refuses the close, so an
advocate's own words are never kept as an outcome."""
from __future__ import annotations


def word_index(codes: tuple[str, ...]) -> dict[str, str]:
    parts: dict[str, set[str]] = {}
    for code in codes:
        for part in code.split("_"):
            parts.setdefault(part, set()).add(code)
    index = {part: next(iter(found)) for part, found in parts.items() if len(found) == 1}
    index.update({code: code for code in codes})
    index.update({code.replace("_", ""): code for code in codes})
    return index


def read_outcomes(words: str, codes: tuple[str, ...]) -> list[str] | None:
    """The codes the words name, in config order, each once; None if any word names no code."""
    index = word_index(codes)
    named = set()
    for word in words.replace(",", " ").split():
        code = index.get(word.strip(".;").lower().replace("-", "_"))
        if code is None:
            return None
        named.add(code)
    return [code for code in codes if code in named]


def outcome_counts(outcomes: list[str]) -> list[str]:
    """The report counters one close moves: the close itself, and each outcome code."""
    return ["closed"] + [f"outcome.{code}" for code in outcomes]


def example(codes: tuple[str, ...]) -> str:
    """Two short words an advocate may text, for the refusal's example."""
    index = word_index(codes)
    short = [w for w, c in index.items() if w != c and "_" not in w]
    return " ".join(short[:2]) or " ".join(codes[:2])
