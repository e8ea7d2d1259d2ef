"""Acknowledged means replicated: a turn's write waits for one replica before Twilio gets its answer.

The turn's script and `WAIT 1 <timeout>` go in one round trip (a pipeline that is not a transaction), and
only when this Redis has replicas: with Sentinel always (replicas are why it is there), with REDIS_URL
when the primary said so at start (INFO replication, asked again once a minute), so a single Redis pays
nothing. When no replica confirmed the write in time, the thread's `missed` flag is set, and the intake
puts the message in the outage spool as well: if the primary dies now, the replay (idempotent on the
MessageSid) writes it again on the new primary instead of losing it.
"""
from __future__ import annotations

import logging
import threading
import time

from redis import Redis
from redis.exceptions import NoScriptError, RedisError

log = logging.getLogger(__name__)
REFRESH_SECONDS = 60.0


class ReplicaWait:
    def __init__(self, redis: Redis, timeout_ms: int, always: bool, clock=time.monotonic):
        self.redis = redis
        self.timeout_ms = timeout_ms
        self.always = always
        self.clock = clock
        self._replicas, self._checked = 0, None
        self._local = threading.local()
        if not always:
            self.wanted()  # at start, so no turn pays for the first look

    def wanted(self) -> bool:
        if self.timeout_ms <= 0:
            return False
        if self.always:
            return True
        if self._checked is None or self.clock() - self._checked > REFRESH_SECONDS:
            self._checked = self.clock()
            try:
                self._replicas = int(self.redis.info("replication").get("connected_slaves", 0))
            except RedisError:  # unreachable now: the turn itself will say so
                pass
        return self._replicas > 0

    def run(self, script, keys: list, args: list) -> int:
        """The script's result, once one replica has its writes or the wait timed out (then `missed`)."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.evalsha(script.sha, len(keys), *keys, *args)
        pipe.wait(1, self.timeout_ms)
        result, copies = pipe.execute(raise_on_error=False)
        if isinstance(result, NoScriptError):  # a new primary (scripts are not replicated): load, run, wait
            result = script(keys=keys, args=args)
            copies = self.redis.wait(1, self.timeout_ms)
        if isinstance(result, Exception):
            raise result
        if isinstance(copies, Exception) or int(copies) < 1:
            self._local.missed = True
            log.warning("turn written on the primary only (no replica within %s ms): spooled as well",
                        self.timeout_ms)
        return int(result)

    def begin(self) -> None:
        """A new message on this thread: nothing missed yet."""
        self._local.missed = False

    @property
    def missed(self) -> bool:
        """A write of this thread's message reached no replica in time."""
        return getattr(self._local, "missed", False)
