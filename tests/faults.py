"""A Redis client that fails where a test says: at its Nth command, before or after the command reaches Redis.

The fault is injected at the socket's edge (redis-py's Connection), so what our code sees is what it would
see if the network dropped or the process were killed there. It also counts round trips and commands,
for the benchmarks.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry


class InjectedFault(redis.ConnectionError):
    """The fault a test asked for (a ConnectionError: what a dropped network looks like to redis-py)."""


@dataclass
class FaultPlan:
    """Fail once, at round trip number `fail_at` (1-based, counted from `arm()`: a pipeline or a script is
    one); `after_send`: its commands have reached Redis (and run) when the connection drops, as when a
    process dies waiting for the answer. `stall_at`: the thread that armed the plan waits at that round
    trip until `release` is set (a turn stuck mid-way) while other threads go on."""

    fail_at: int | None = None
    after_send: bool = False
    stall_at: int | None = None
    commands: int = 0
    round_trips: int = 0
    fired: bool = False
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    stall_thread: int | None = None  # only this thread stalls (the stuck turn), others go on
    stall_trips: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def arm(self, fail_at: int | None = None, after_send: bool = False, stall_at: int | None = None) -> None:
        with self.lock:
            self.fail_at, self.after_send, self.stall_at = fail_at, after_send, stall_at
            self.commands = self.round_trips = self.stall_trips = 0
            self.fired = False
            self.stall_thread = threading.get_ident() if stall_at else None

    def count(self, commands: int) -> tuple[bool, bool]:
        """(fail now, stall now) for a round trip of `commands` commands."""
        with self.lock:
            self.commands += commands
            self.round_trips += 1
            hit = self.fail_at == self.round_trips and not self.fired
            self.fired = self.fired or hit
            stall = False
            if threading.get_ident() == self.stall_thread:
                self.stall_trips += 1
                stall = self.stall_at == self.stall_trips
            return hit, stall


def faulty_redis(url: str, plan: FaultPlan) -> redis.Redis:
    """A client on `url` whose connections obey `plan`; redis-py's own retries are off, so a fault shows."""

    class FaultyConnection(redis.Connection):
        def pack_command(self, *args):
            self._lantern_pending = getattr(self, "_lantern_pending", 0) + 1
            return super().pack_command(*args)

        def pack_commands(self, commands):
            self._lantern_pending = getattr(self, "_lantern_pending", 0) + len(commands)
            return super().pack_commands(commands)

        def send_packed_command(self, command, check_health=True):
            pending, self._lantern_pending = getattr(self, "_lantern_pending", 1) or 1, 0
            fail, stall = plan.count(pending)
            if stall:
                plan.stalled.set()
                plan.release.wait(30)
            if fail and not plan.after_send:
                self.disconnect()
                raise InjectedFault("injected before sending")
            super().send_packed_command(command, check_health)
            if fail:
                self.disconnect()
                raise InjectedFault("injected after sending")

    pool = redis.ConnectionPool.from_url(url, connection_class=FaultyConnection, retry=Retry(NoBackoff(), 0),
                                         socket_timeout=5)
    return redis.Redis(connection_pool=pool)


@pytest.fixture
def plan() -> FaultPlan:
    return FaultPlan()


@pytest.fixture
def faulty_app(settings, plan):
    """The app as create_app builds it, on a client that obeys `plan`. A test module that imports it as
    `app` makes every fixture beside it (client, lantern, roster, work) use this app."""
    from tests.apps import create_app, lantern_of

    if not settings.redis_url:
        pytest.skip("fault injection needs a Redis server")
    redis.Redis.from_url(settings.redis_url).flushdb()
    app = create_app(settings, faulty_redis(settings.redis_url, plan))
    yield app
    plan.arm()
    plan.release.set()  # a turn left stalled by a failed test goes on
    lantern_of(app).stores.redis.flushdb()
