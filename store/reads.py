"""Case codes an advocate opened that were not theirs: a set per advocate per hour, so that guessing codes
(or reading through other people's conversations) is bounded while re-reading one is free."""
from __future__ import annotations

import time
from typing import Callable

from redis import Redis

from store.keys import foreign_reads_key

WINDOW = 3600


class ForeignReads:
    def __init__(self, redis: Redis, clock: Callable[[], float] = time.time):
        self.redis = redis
        self.clock = clock

    def opened(self, advocate: str, code: str) -> int:
        """Count `code` for `advocate` this hour; returns how many distinct codes so far, this one included."""
        key = foreign_reads_key(advocate, int(self.clock() // WINDOW))
        pipe = self.redis.pipeline(transaction=True)
        pipe.sadd(key, code)
        pipe.scard(key)
        pipe.expire(key, WINDOW * 2)
        return int(pipe.execute()[1])
