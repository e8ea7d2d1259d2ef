"""Outreach cards and consented check-ins, as plain rules and data: no Redis, no Twilio, no Flask.

A card code (LUMA7) is four letters that read aloud as a word and one digit: five characters, so it is never
mistaken for a case code (K7Q2, four) in an advocate's CLAIM, and a message rarely holds one by accident.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date

CARD_CONSONANTS = "BDFGKMNPRSTVZ"  # no C/Q/X (said two ways), no L/J/H/W/Y (misheard on a noisy street)
CARD_VOWELS = "AEIOU"
CARD_DIGITS = "23456789"  # no 0 or 1: never read as O or I
_CARD_SHAPE = re.compile(r"^[A-Z]{4}[0-9]$")
_TOKEN = re.compile(r"[A-Za-z0-9]+")
CHECKIN_DAYS = {"week": 7, "month": 30}
CHECKIN_WINDOWS = ("morning", "afternoon", "evening")
DEFAULT_CHECKIN_WINDOW = "afternoon"  # never at night unless they chose it: someone may be beside them
# Outlive a close (and a START after STOP): who they met, a check-in they agreed to, their safety word.
# DELETE erases all of it (see Engine._do_erase).
CARRIED = ("outreach", "card_advocate", "met_on", "checkin", "checkin_sent_at", "safety_word_set")
CHECKIN_MARGIN = 2 * 86400  # a check-in held for its window may go a day late: its conversation stays that long


@dataclass(frozen=True)
class Card:
    """A card code that was texted, and whose it is."""

    code: str
    outreach: str
    advocate: str  # roster id
    met_on: str    # ISO date of the outreach


def new_card_code() -> str:
    """A code easy to read aloud: consonant, vowel, consonant, vowel, digit (LUMA7 without the L)."""
    pick = secrets.choice
    return pick(CARD_CONSONANTS) + pick(CARD_VOWELS) + pick(CARD_CONSONANTS) + pick(CARD_VOWELS) + pick(CARD_DIGITS)


def card_candidates(body: str) -> list[str]:
    """The words of a message shaped like a card code, upper-cased ("hi luma7" → ["LUMA7"])."""
    return [t.upper() for t in _TOKEN.findall(body) if _CARD_SHAPE.match(t.upper())]


def without_code(body: str, code: str) -> str:
    """The message with the card code taken out: the rest is read as if the code was never there."""
    return " ".join(re.sub(rf"(?i)(?<![A-Za-z0-9]){re.escape(code)}(?![A-Za-z0-9])", " ", body).split())


def link_card(conv, card: Card) -> bool:
    """Link a conversation to the outreach on the card; a conversation keeps its first link."""
    if conv.outreach is not None:
        return False
    conv.outreach, conv.card_advocate, conv.met_on = card.outreach, card.advocate, card.met_on
    return True


def carry_over(old, new) -> None:
    """Copy what outlives a session from the old conversation onto its fresh one."""
    for name in CARRIED:
        setattr(new, name, getattr(old, name))


def forget_everything_carried(conv) -> None:
    for name in CARRIED:
        setattr(conv, name, conv.__dataclass_fields__[name].default)


def met_on_words(met_on: str, lang: str) -> str:
    """'the 12th' / 'el 12': the day they met, without the month or the year."""
    day = date.fromisoformat(met_on).day
    if lang == "es":
        return f"el {day}"
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"the {day}{suffix}"


def checkin_id(now: float) -> str:
    return f"{int(now)}-{secrets.token_hex(3)}"


def keep_for(conv, now: float, retention: int) -> int:
    """Seconds to keep a conversation: the retention, or until a check-in they agreed to has gone."""
    if conv.checkin:
        return max(retention, int(conv.checkin["due"] - now) + CHECKIN_MARGIN)
    return retention


# Effects: what a turn asks for outside the conversation's own keys.
@dataclass(frozen=True)
class ScheduleCheckIn:
    """They said yes to one check-in: send it after `days`, inside their window (re-checked then)."""

    id: str
    due_at: float
    lang: str


@dataclass(frozen=True)
class ForgetSafetyWord:
    """DELETE or STOP: the safety word is erased with the turn's own write."""



def introduction(engine, conv, advocate) -> str:
    """The advocate's first line: "we met on the 12th" when they are the one on the card, unless discreet
    mode keeps it to the first name (someone reading the phone must not learn where they met)."""
    if conv.card_advocate == advocate.id and conv.met_on and not engine.content.org.discreet:
        met = met_on_words(conv.met_on, conv.lang)
        return engine.say("advocate_intro_met", conv.lang).replace("{advocate}", advocate.first_name) \
            .replace("{met}", met)
    return engine.say("advocate_intro", conv.lang).replace("{advocate}", advocate.first_name)


# Why a check-in due now is not sent (None: send it). Re-checked again at sending, as every message is.
REENGAGED_AFTER = 3600  # a "thanks" just after agreeing is not coming back


def checkin_refusal(conv, checkin_id: str, opted_out: bool) -> str | None:
    if conv is None:
        return "deleted"
    if opted_out or conv.state == "opted_out":
        return "stopped"
    if not conv.checkin or conv.checkin["id"] != checkin_id:
        return "cancelled"
    if conv.state == "quiet":
        return "quiet"
    if conv.has_open_request or conv.advocate or (conv.last_inbound_at or 0) > conv.checkin["at"] + REENGAGED_AFTER:
        return "talking"  # they came back since: the door is already open
    return None
