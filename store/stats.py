"""What the morning summary counts: requests made while nobody was on shift, pages, time to claim."""
from __future__ import annotations

from dataclasses import dataclass

from redis import Redis

from store.keys import STATS_REQUEST as DETAIL, STATS_REQUESTS as REQUESTS

KEEP_SECONDS = 30 * 24 * 3600


@dataclass
class RequestRecord:
    code: str
    requested_at: float
    priority: str
    after_hours: bool
    paged: int
    claimed_at: float | None


class RequestStats:
    def __init__(self, redis: Redis):
        self.redis = redis

    def requested(self, code: str, at: float, priority: str, after_hours: bool, pipe=None) -> None:
        """Recorded on `pipe` (a turn's write) when given, else at once."""
        own = pipe is None
        pipe = self.redis.pipeline(transaction=True) if own else pipe
        pipe.zadd(REQUESTS, {code: at}, nx=True)
        pipe.hset(DETAIL + code, mapping={"priority": priority, "after_hours": int(after_hours)})
        pipe.hsetnx(DETAIL + code, "requested_at", at)
        pipe.expire(DETAIL + code, KEEP_SECONDS)
        pipe.zremrangebyscore(REQUESTS, "-inf", at - KEEP_SECONDS)
        if own:
            pipe.execute()

    def paged(self, code: str, count: int, pipe=None) -> None:
        (pipe if pipe is not None else self.redis).hincrby(DETAIL + code, "paged", count)

    def claimed(self, code: str, at: float, pipe=None) -> None:
        """The first claim counts: time to claim is from the request to the first person on it."""
        (pipe if pipe is not None else self.redis).hsetnx(DETAIL + code, "claimed_at", at)

    def between(self, start: float, end: float) -> list[RequestRecord]:
        records = []
        for code, at in self.redis.zrangebyscore(REQUESTS, start, end, withscores=True):  # type: ignore[str-unpack]  # redis-py types replies loosely
            detail = {k.decode(): v.decode() for k, v in self.redis.hgetall(DETAIL + code.decode()).items()}  # type: ignore[union-attr]  # redis-py types replies loosely
            if detail:
                records.append(RequestRecord(code.decode(), at, detail.get("priority", "NORMAL"),  # type: ignore[arg-type, union-attr]  # redis-py types replies loosely
                                             detail.get("after_hours") == "1", int(detail.get("paged", 0)),
                                             float(detail["claimed_at"]) if "claimed_at" in detail else None))
        return records
