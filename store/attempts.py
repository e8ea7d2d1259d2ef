"""Wrong console passwords, counted per (account, address) and per address, to slow guessing down.

Nothing here ever refuses for long: after the free tries each further try waits a little longer
(doubling, at most MAX_WAIT), so the real advocate is never locked out, least of all from another
address. Keys hold keyed hashes, never the name typed or the address.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from redis import Redis

from store.crypto import keyed_hash
from store.keys import sign_in_failures_key

FREE_PER_ACCOUNT = 5  # wrong passwords for one account from one address before tries are slowed
FREE_PER_ADDRESS = 30  # from one address, whatever the account (a router's shared address counts once per person)
MAX_WAIT = 60.0
FORGET_AFTER = 15 * 60  # a quiet quarter of an hour and the count starts over


@dataclass(frozen=True)
class Verdict:
    wait: float  # seconds before another try is checked; 0: check it now
    newly_slowed: bool = False  # this failure is the one that started slowing down the account


class SignInAttempts:
    def __init__(self, redis: Redis, lookup_key: bytes, clock: Callable[[], float] = time.time, scope: str = ""):
        """`scope`: what is counted, when not passwords ("code": wrong second-factor codes, counted apart)."""
        self.redis = redis
        self._lookup_key = lookup_key
        self.clock = clock
        self._scope = f"{scope}:" if scope else ""

    def _names(self, account: str, address: str) -> tuple[str, str]:
        scope = self._scope
        return (sign_in_failures_key(keyed_hash(self._lookup_key, f"{scope}account:{account}|{address}")),
                sign_in_failures_key(keyed_hash(self._lookup_key, f"{scope}address:{address}")))

    def wait(self, account: str, address: str) -> float:
        """Seconds left before a try from here for this account is checked."""
        pipe = self.redis.pipeline(transaction=False)
        for key in self._names(account, address):
            pipe.hmget(key, "count", "last")
        now = self.clock()
        waits = [_wait(int(count or 0), float(last or 0), free, now)
                 for (count, last), free in zip(pipe.execute(), (FREE_PER_ACCOUNT, FREE_PER_ADDRESS))]
        return max(waits)

    def failed(self, account: str, address: str) -> Verdict:
        now = self.clock()
        pipe = self.redis.pipeline(transaction=True)
        for key in self._names(account, address):
            pipe.hincrby(key, "count", 1)
            pipe.hset(key, "last", now)
            pipe.expire(key, FORGET_AFTER)
        results = pipe.execute()
        account_count, address_count = results[0], results[3]
        wait = max(_wait(account_count, now, FREE_PER_ACCOUNT, now), _wait(address_count, now, FREE_PER_ADDRESS, now))
        return Verdict(wait, newly_slowed=account_count == FREE_PER_ACCOUNT)

    def succeeded(self, account: str, address: str) -> None:
        self.redis.delete(self._names(account, address)[0])


def _wait(count: int, last: float, free: int, now: float) -> float:
    if count < free:
        return 0.0
    return max(0.0, min(2.0 ** (count - free), MAX_WAIT) - (now - last))
