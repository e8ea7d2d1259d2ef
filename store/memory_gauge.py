"""How full Redis is: used memory against maxmemory, read at most every few seconds per process.

Redis that runs out of memory with noeviction refuses every write: conversations stop being kept and
nobody is paged. /healthz shows the figures; past WARN_AT the log and the console say so while there is
still time to act.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable

from redis import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
WARN_AT = 0.8
READ_EVERY = 10.0  # seconds a reading is reused: the console asks on every page
LOG_EVERY = 60.0


@dataclass(frozen=True)
class MemoryReading:
    used: int
    maximum: int  # 0: no maxmemory set, Redis grows until the machine runs out
    policy: str

    @property
    def share(self) -> float | None:
        return self.used / self.maximum if self.maximum else None

    @property
    def high(self) -> bool:
        return self.share is not None and self.share >= WARN_AT

    def to_dict(self) -> dict:
        return {"used_bytes": self.used, "maxmemory_bytes": self.maximum, "policy": self.policy,
                "percent": None if self.share is None else round(self.share * 100, 1)}


class MemoryGauge:
    def __init__(self, redis: Redis, clock: Callable[[], float] = time.monotonic):
        self.redis = redis
        self.clock = clock
        self._last: tuple[float, MemoryReading | None] = (-READ_EVERY, None)
        self._logged = -LOG_EVERY

    def reading(self) -> MemoryReading | None:
        """The latest figures; None when this Redis can't tell (the embedded store) or can't be reached."""
        at, cached = self._last
        now = self.clock()
        if now - at < READ_EVERY:
            return cached
        try:
            info = self.redis.info("memory")
            reading = MemoryReading(int(info.get("used_memory", 0)), int(info.get("maxmemory", 0)),
                                    str(info.get("maxmemory_policy", "")))
        except RedisError:
            reading = None
        self._last = (now, reading)
        if reading is not None and reading.high and now - self._logged >= LOG_EVERY:
            self._logged = now
            log.warning("redis memory at %.0f%% of maxmemory (%s of %s bytes, policy %s): add memory or "
                        "shorten retention before writes are refused", (reading.share or 0) * 100, reading.used,
                        reading.maximum, reading.policy)
        return reading
