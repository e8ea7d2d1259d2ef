"""Safe places tonight: the organisation's list (config/shelters.yaml) with tonight's beds from Redis."""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from redis import Redis

from config.console_content import TAKES, Place
from store.exceptions import ShelterError
from store.keys import shelters_tonight_key

# A night runs from noon to noon in the line's time zone: at 2 a.m. "tonight" is still the night that
# began the evening before, and the morning after, the counts start blank instead of showing stale beds.
NIGHT_STARTS_AT_HOUR = 12
MAX_BEDS = 999
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class PlaceTonight:
    place: Place
    beds: int | None  # None: nobody has said yet tonight
    takes: tuple[str, ...]
    languages: tuple[str, ...]
    updated_by: str = ""
    updated_at: float | None = None

    @property
    def has_room(self) -> bool:
        return bool(self.beds)


class ShelterBoard:
    def __init__(self, redis: Redis, places: tuple[Place, ...], timezone: str, clock: Callable[[], float] = time.time):
        self.redis = redis
        self.places = places
        self.zone = ZoneInfo(timezone)
        self.clock = clock

    def night(self) -> str:
        """The date the current night began on, in the line's time zone (2026-03-14)."""
        local = datetime.fromtimestamp(self.clock(), self.zone)
        return (local - timedelta(hours=NIGHT_STARTS_AT_HOUR)).date().isoformat()

    def tonight(self) -> list[PlaceTonight]:
        saved = self.redis.hgetall(shelters_tonight_key(self.night()))
        return [self._tonight(place, saved.get(place.id.encode())) for place in self.places]  # type: ignore[arg-type]  # redis-py types replies loosely

    def available_tonight(self) -> bool:
        """Whether any place has said it has a bed or room tonight (the bot's safe-place reply asks this)."""
        return any(entry.has_room for entry in self.tonight())

    def update(self, place_id: str, beds: str | int, takes: list[str], languages: str | list[str],
               by: str) -> PlaceTonight:
        """Record tonight's beds and whom the place takes; ShelterError names what to fix."""
        place = next((p for p in self.places if p.id == place_id), None)
        if place is None:
            raise ShelterError("That place is not in shelters.yaml.")
        state = {"beds": _beds(beds), "takes": _takes(takes), "languages": _languages(languages),
                 "by": by, "at": self.clock()}
        key = shelters_tonight_key(self.night())
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(key, place.id, json.dumps(state))
        pipe.expire(key, int(timedelta(days=3).total_seconds()))
        pipe.execute()
        return self._tonight(place, json.dumps(state).encode())

    @staticmethod
    def _tonight(place: Place, raw: bytes | None) -> PlaceTonight:
        if raw is None:
            return PlaceTonight(place, None, place.takes, place.languages)
        state = json.loads(raw)
        return PlaceTonight(place, state["beds"], tuple(state["takes"]), tuple(state["languages"]), state["by"],
                            state["at"])


def _beds(value: str | int) -> int:
    text = str(value).strip()
    if not text.isdigit() or int(text) > MAX_BEDS:
        raise ShelterError(f"Beds or rooms tonight must be a whole number from 0 to {MAX_BEDS}.")
    return int(text)


def _takes(values: list[str]) -> list[str]:
    chosen = [v for v in TAKES if v in values]
    if len(chosen) != len(set(values)):
        raise ShelterError("Who a place takes must be among: " + ", ".join(TAKES) + ".")
    if not chosen:
        raise ShelterError("Tick at least one of " + ", ".join(TAKES) + " (set beds to 0 if it takes nobody).")
    return chosen


def _languages(value: str | list[str]) -> list[str]:
    items = value if isinstance(value, list) else re.split(r"[\s,]+", value)
    codes = [item.strip().lower() for item in items if item.strip()]
    bad = [code for code in codes if not _LANGUAGE_CODE.match(code)]
    if bad or not codes:
        raise ShelterError("Languages are two- or three-letter codes separated by commas, like: en, es.")
    return list(dict.fromkeys(codes))
