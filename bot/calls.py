"""Calls to the hotline number: what the caller hears, and who is rung. Pure (webhooks/voice.py renders it).

Nothing about a call is recorded but that it was missed: no voicemail, no recording, no transcription."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.advocates import Advocate
from bot.capacity import fewest_first, with_room
from bot.conversation import Priority

RING_SECONDS = 30
MAX_RUNG = 10  # Twilio rings at most ten numbers of one <Dial> at once
LANGUAGES = (("en", "en-US"), ("es", "es-US"))
MISSED = ("no-answer", "busy", "failed", "canceled")


@dataclass(frozen=True)
class VoiceLines:
    safety: dict[str, str]
    connecting: dict[str, str]
    text_us: dict[str, str]
    whisper: str

    @classmethod
    def load(cls, path: Path, emergency: str) -> "VoiceLines":
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        lines = {}
        for key in ("safety", "connecting", "text_us"):
            per_lang = data.get(key)
            if not isinstance(per_lang, dict) or any(not str(per_lang.get(lang, "")).strip() for lang, _ in LANGUAGES):
                raise ValueError(f"{path}: '{key}' needs a line in each of en, es")
            lines[key] = {lang: str(per_lang[lang]).format(emergency=emergency) for lang, _ in LANGUAGES}
        if not str(data.get("whisper", "")).strip():
            raise ValueError(f"{path}: 'whisper' is missing")
        return cls(lines["safety"], lines["connecting"], lines["text_us"], str(data["whisper"]))


def to_ring(advocates: list[Advocate], loads: dict[str, int], staffed: bool) -> list[Advocate]:
    """Staffed: the available advocates with room (all available if none has room), least busy first.
    After hours: the on-call advocates. At most ten, rung at once: the first to press 1 takes it."""
    if staffed:
        people = [a for a in advocates if a.available]
        people = with_room(people, loads, Priority.NORMAL) or people
    else:
        people = [a for a in advocates if a.on_call]
    return fewest_first(people, loads)[:MAX_RUNG]


def was_missed(dial_status: str) -> bool:
    """Twilio's DialCallStatus after the <Dial>: anything but a call someone took is a missed call."""
    return dial_status != "completed"
