"""Waiting out a Redis failover: run an action again, after a growing pause, while Redis can't be reached."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeout

OUTAGE = (RedisConnectionError, RedisTimeout)
LONGEST_PAUSE = 5.0
T = TypeVar("T")


def when_back(action: Callable[[], T], log: logging.Logger, what: str, give_up_after: float | None = None) -> T:
    """`action`'s result, once it ran without an outage (Sentinel points the client at the new primary);
    after `give_up_after` seconds of outage its last error is raised."""
    pause, started = 0.25, time.monotonic()
    while True:
        try:
            return action()
        except OUTAGE as exc:
            if give_up_after is not None and time.monotonic() - started > give_up_after:
                raise
            log.warning("%s: Redis unreachable (%s), trying again in %.2f s", what, type(exc).__name__, pause)
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)
