"""Outreach nights and their cards: one short code per advocate who went, found again when someone texts it."""
from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time as clock_time, timedelta
from zoneinfo import ZoneInfo

from redis import Redis

from bot.outreach import Card, new_card_code
from store.exceptions import OutreachError, RosterError
from store.keys import OUTREACHES, card_key, outreach_key
from store.roster import Roster

NAME_MAX, AREA_MAX, MAX_ADVOCATES = 80, 40, 20


@dataclass
class Outreach:
    id: str
    name: str
    date: str   # ISO, the night it was held
    area: str
    cards: list[dict] = field(default_factory=list)  # [{"code", "advocate", "name"}], one per advocate
    handed_out: int | None = None  # cards handed out that night, when a supervisor records it
    created_at: float = 0.0


class Outreaches:
    def __init__(self, redis: Redis, roster: Roster, card_valid: timedelta, zone: ZoneInfo):
        self.redis = redis
        self.roster = roster
        self.card_valid = card_valid
        self.zone = zone

    def create(self, name: str, day: str, area: str, advocate_names: list[str]) -> Outreach:
        """A new outreach with a card code for each advocate on it (each on the roster, none twice)."""
        name, area, held = _clean(name, "name", NAME_MAX), _clean(area, "area", AREA_MAX), _day(day)
        advocates = self._advocates(advocate_names)
        outreach = Outreach(f"{held:%Y%m%d}-{secrets.token_hex(2)}", name, held.isoformat(), area,
                            created_at=time.time())
        expires = datetime.combine(held + self.card_valid, clock_time(23, 59), self.zone)
        for advocate in advocates:
            code = self._reserve(outreach.id, advocate.id, held, expires)
            outreach.cards.append({"code": code, "advocate": advocate.id, "name": advocate.name})
        pipe = self.redis.pipeline(transaction=True)
        pipe.set(outreach_key(outreach.id), json.dumps(asdict(outreach), ensure_ascii=False))
        pipe.zadd(OUTREACHES, {outreach.id: datetime.combine(held, clock_time(), self.zone).timestamp()})
        pipe.execute()
        return outreach

    def _advocates(self, names: list[str]):
        if not names:
            raise OutreachError("Name at least one advocate who went (--advocate \"Alexis Rivera\").")
        if len(names) > MAX_ADVOCATES:
            raise OutreachError(f"At most {MAX_ADVOCATES} advocates on one outreach.")
        try:
            advocates = [self.roster.named(n) for n in names]
        except RosterError as exc:
            raise OutreachError(f"{exc} Add them first: flask --app app advocates add …") from None
        if len({a.id for a in advocates}) != len(advocates):
            raise OutreachError("An advocate is named twice.")
        return advocates

    def _reserve(self, outreach: str, advocate: str, held: date, expires: datetime) -> str:
        while True:  # 13*5*13*5*8 = 33,800 codes: a clash is rare and simply tried again
            code = new_card_code()
            value = json.dumps({"outreach": outreach, "advocate": advocate, "met_on": held.isoformat()})
            if self.redis.set(card_key(code), value, nx=True, exat=int(expires.timestamp())):
                return code

    def card(self, code: str) -> Card | None:
        """The live card with this code, or None (unknown or expired: then it is simply text)."""
        raw = self.redis.get(card_key(code.upper()))
        if raw is None:
            return None
        data = json.loads(raw)
        return Card(code.upper(), data["outreach"], data["advocate"], data["met_on"])

    def find_in(self, candidates: list[str]) -> Card | None:
        """The first live card among a message's code-shaped words, in one round trip."""
        if not candidates:
            return None
        for code, raw in zip(candidates, self.redis.mget([card_key(c) for c in candidates])):
            if raw is not None:
                data = json.loads(raw)
                return Card(code, data["outreach"], data["advocate"], data["met_on"])
        return None

    def get(self, outreach: str) -> Outreach | None:
        raw = self.redis.get(outreach_key(outreach))
        return Outreach(**json.loads(raw)) if raw else None

    def all(self) -> list[Outreach]:
        """Every outreach, the most recent night first."""
        ids = [i.decode() for i in self.redis.zrevrange(OUTREACHES, 0, -1)]  # type: ignore[union-attr]  # redis-py types replies loosely
        raws = self.redis.mget([outreach_key(i) for i in ids]) if ids else []
        return [Outreach(**json.loads(raw)) for raw in raws if raw]

    def record_handed_out(self, outreach: str, count: int) -> Outreach:
        found = self.get(outreach)
        if found is None:
            raise OutreachError(f"No outreach {outreach}: outreach list shows them.")
        if count < 0 or count > 100_000:
            raise OutreachError("Give the number of cards handed out, 0 or more.")
        found.handed_out = count
        self.redis.set(outreach_key(outreach), json.dumps(asdict(found), ensure_ascii=False))
        return found

    def named(self, outreaches: list[str]) -> dict[str, Outreach]:
        ids = list(dict.fromkeys(outreaches))
        raws = self.redis.mget([outreach_key(i) for i in ids]) if ids else []
        return {i: Outreach(**json.loads(raw)) for i, raw in zip(ids, raws) if raw}


def _clean(text: str, what: str, limit: int) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise OutreachError(f"An outreach needs a {what}.")
    if len(text) > limit:
        raise OutreachError(f"Keep the {what} to {limit} characters.")
    return text


def _day(text: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise OutreachError(f"Give the date as YYYY-MM-DD (like 2026-12-12), not {text!r}.") from None
