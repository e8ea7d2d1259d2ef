"""Advocates as plain data, the SMS commands they text, and the lines the line texts them."""
from __future__ import annotations

import json
import re
import string
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path

import yaml


class Role(str, Enum):
    ADVOCATE = "advocate"
    SUPERVISOR = "supervisor"


@dataclass
class Advocate:
    id: str
    name: str
    phone: str
    role: Role = Role.ADVOCATE
    on_call: bool = False
    available: bool = False
    # The most conversations they hold at once (NORMAL and HIGH pages skip them at it), and what they speak.
    capacity: int = 3
    languages: list[str] = field(default_factory=lambda: ["en"])

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    def speaks(self, lang: str) -> bool:
        return lang in self.languages

    def to_json(self) -> str:
        return json.dumps(dict(asdict(self), role=self.role.value), ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> "Advocate":
        data = json.loads(raw)
        data["role"] = Role(data["role"])
        return cls(**data)


def advocate_id(name: str) -> str:
    """Names are unique whatever their case or spacing: 'Alexis  Rivera' and 'alexis rivera' are one."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Command:
    verb: str  # claim, release, close, booked, word, list, help, say, unknown
    code: str | None = None
    text: str = ""


_WITH_CODE = re.compile(r"^(CLAIM|RELEASE|CLOSE|BOOKED)(?:\s+#?([A-Za-z0-9]{4}))?\s*$", re.IGNORECASE)
# CLOSE K7Q2 shelter legal: the outcome codes of the wrap-up (bot/wrapup.py), never free words.
# Its code is shaped like a case code (as WORD's), so "Close that window" is less often read as a command.
_CLOSE_WITH = re.compile(r"^CLOSE\s+#?([A-HJKMNP-TV-Z2-9]{4})\s+(\S.*)$", re.IGNORECASE)
# WORD K7Q2 pizza: the safety word a survivor chose (never relayed to them, never logged).
# The code is required and shaped like a case code (no I, L, O, U, 0, 1), so "Word of advice…" is relayed.
_WORD = re.compile(r"^WORD\s+#?([A-HJKMNP-TV-Z2-9]{4})(?:\s+(.*))?$", re.IGNORECASE | re.DOTALL)
_ADDRESSED = re.compile(r"^#([A-Za-z0-9]{4})\s+(.+)$", re.DOTALL)
_BARE = re.compile(r"^(LIST|HELP)$", re.IGNORECASE)


def parse_command(body: str) -> Command:
    """Read an advocate's text: a command (any case, extra spaces), #CODE text, or text to relay."""
    text = body.strip()
    spaced = " ".join(text.split())
    if match := _WITH_CODE.match(spaced):
        code = match.group(2).upper() if match.group(2) else None
        return Command(match.group(1).lower(), code)
    if match := _CLOSE_WITH.match(spaced):
        return Command("close", match.group(1).upper(), match.group(2))
    if match := _WORD.match(text):
        return Command("word", match.group(1).upper(), (match.group(2) or "").strip())
    if match := _BARE.match(spaced):
        return Command(match.group(1).lower())
    if match := _ADDRESSED.match(text):
        return Command("say", match.group(1).upper(), match.group(2).strip())
    return Command("say", None, text) if text else Command("unknown")


class AdvocateTexts:
    """flows/advocate.yaml, checked at start-up: every line present, known placeholders only."""

    REQUIRED = (
        "page", "page_again", "page_supervisor", "claimed", "claimed_no_consent", "claimed_quiet",
        "already_yours", "held_by_other", "no_such_code", "not_yours", "not_waiting", "released", "closed",
        "closed_silently", "nothing_open", "which_one", "not_sent_quiet", "not_sent_consent", "not_sent_stopped",
        "not_sent_closed", "not_delivered", "send_failed", "relay", "relay_danger", "notice_stopped",
        "notice_quiet", "notice_erased", "list_waiting", "list_none_waiting", "list_yours", "summary_head",
        "summary_answers", "summary_last", "need_code", "unknown_command", "help", "window_open_page",
        "window_open_yours", "shift_start", "shift_start_empty", "night_summary", "page_note_no_first_text",
        "page_note_met", "page_note_safety_word", "relay_safety_word", "word_set", "word_cleared", "word_rejected",
        "word_help", "booked",
        # What became of a message to a survivor: Twilio's error codes (messaging/twilio_errors.py) and
        # WhatsApp's 24-hour window.
        "failed_unreachable", "failed_unknown_number", "failed_landline", "failed_filtered", "failed_rate_limit",
        "held_reopen", "held_no_template", "held_no_consent", "held_delivered", "read_after_hold",
        "sign_in_slowed", "two_factor_slowed", "web_chat_burst",
        # Capacity, offers, nobody free, the wrap-up on close, a missed call (bot/capacity.py, bot/wrapup.py).
        "at_capacity", "page_note_offer", "page_note_missed_call", "none_free", "unknown_outcome", "closed_with",
    )
    PLACEHOLDERS = {"priority", "code", "lang", "area", "wait", "name", "codes", "text", "error", "items",
                    "answers", "command", "note", "window", "count", "breakdown", "paged", "claims", "outreach",
                    "reason", "held", "capacity", "seconds", "outcomes"}

    def __init__(self, path: Path):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key in self.REQUIRED:
            text = data.get(key)
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{path}: '{key}' is missing")
            unknown = {f for _, f, _, _ in string.Formatter().parse(text) if f} - self.PLACEHOLDERS
            if unknown:
                raise ValueError(f"{path}: '{key}' has unknown placeholder {sorted(unknown)}")
        self._texts = {key: data[key] for key in self.REQUIRED}

    def __call__(self, key: str, **values: object) -> str:
        return self._texts[key].format(**values)
