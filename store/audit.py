"""The audit stream: who signed in, viewed, claimed, replied, changed the roster. Append-only.

One Redis Stream, never trimmed and never edited: entries carry an event, the advocate, a case code and a
short detail, never a phone number or a message's words.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from redis import Redis

from store.keys import AUDIT_STREAM, audit_once_key

# The events the console and the SMS desk record; the audit page offers them as a filter.
EVENTS = ("sign-in", "sign-in failed", "sign-out", "password", "view", "claim", "release", "close", "transfer",
          "reply", "note", "roster", "shelters", "outreach", "safety_word", "booked", "block", "unblock",
          "two-factor", "misread", "misreads exported")
PAGE_SIZE = 100
_SCAN_BATCH = 500
# Filtering reads the stream newest first; a filter that matches little stops after this many entries.
_SCAN_LIMIT = 50_000


@dataclass(frozen=True)
class AuditEntry:
    id: str
    at: float
    event: str
    advocate: str  # roster id ("alexis rivera"), "-" for a name nobody has, "cli" for the command line
    code: str
    via: str  # console, sms, cli
    detail: str


class AuditLog:
    def __init__(self, redis: Redis, clock: Callable[[], float] = time.time):
        self.redis = redis
        self.clock = clock

    def record(self, event: str, advocate: str = "-", code: str = "", via: str = "console", detail: str = "") -> None:
        if event not in EVENTS:
            raise ValueError(f"unknown audit event {event!r}")
        self.redis.xadd(AUDIT_STREAM, {"at": repr(self.clock()), "event": event, "advocate": advocate or "-",
                                       "code": code or "", "via": via, "detail": detail[:200]})

    def record_at_most_every(self, seconds: int, name: str, event: str, advocate: str = "-",
                             detail: str = "") -> bool:
        """Record an event that anyone can repeat at will (a limited page view) once per `seconds` at most,
        whoever repeats it: the stream is never trimmed, so a flood must not add an entry per request."""
        if not self.redis.set(audit_once_key(name), 1, nx=True, ex=seconds):
            return False
        self.record(event, advocate, detail=detail)
        return True

    def entries(self, advocate: str = "", code: str = "", before: str = "+", limit: int = PAGE_SIZE
                ) -> list[AuditEntry]:
        """Newest first, at most `limit`, older than stream id `before`, matching the filters given."""
        advocate, code = " ".join(advocate.split()).casefold(), code.strip().upper()
        found: list[AuditEntry] = []
        scanned, end = 0, before
        while len(found) < limit and scanned < _SCAN_LIMIT:
            batch = self.redis.xrevrange(AUDIT_STREAM, max=end if end == "+" else "(" + end, min="-",
                                         count=_SCAN_BATCH)
            if not batch:
                break
            for raw_id, fields in batch:
                entry = _entry(raw_id, fields)  # type: ignore[arg-type]  # redis-py types replies loosely
                if (not advocate or entry.advocate == advocate) and (not code or entry.code == code):
                    found.append(entry)
                    if len(found) == limit:
                        break
            scanned += len(batch)
            end = batch[-1][0].decode()  # type: ignore[union-attr]  # redis-py types replies loosely
        return found

    def __len__(self) -> int:
        return self.redis.xlen(AUDIT_STREAM)


def _entry(raw_id: bytes, fields: dict[bytes, bytes]) -> AuditEntry:
    text = {k.decode(): v.decode() for k, v in fields.items()}
    return AuditEntry(raw_id.decode(), float(text.get("at", 0)), text.get("event", ""), text.get("advocate", "-"),
                      text.get("code", ""), text.get("via", ""), text.get("detail", ""))
