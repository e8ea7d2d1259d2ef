"""Where the line's Redis is: one address (REDIS_URL), or the primary that Redis Sentinel names.

REDIS_SENTINELS=host:port,host:port with REDIS_SENTINEL_MASTER=name: every process (web, worker and
its scheduler, the CLI) asks the sentinels for the current primary, so a failover needs nobody to
repoint anything. With both this and REDIS_URL set, Sentinel is used and REDIS_URL is not.
LANTERN_REPLICA_WAIT_MS: how long a turn's write waits for one replica to have it before Twilio gets
its answer (default 250; 0 never waits).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

SENTINEL_PAIR = ("REDIS_SENTINELS", "REDIS_SENTINEL_MASTER")
DEFAULT_REPLICA_WAIT_MS = 250
MAX_REPLICA_WAIT_MS = 2000  # the webhook answers Twilio within 3 s, whatever waits
# Asking a sentinel which Redis is the primary: a dead sentinel must not hold the webhook up.
SENTINEL_QUERY = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}


class RedisLocationError(ValueError):
    """The Redis variables can't name one Redis; the message names the variable."""


@dataclass(frozen=True)
class RedisLocation:
    url: str | None = None
    sentinels: tuple[tuple[str, int], ...] = ()
    sentinel_master: str = ""
    replica_wait_ms: int = DEFAULT_REPLICA_WAIT_MS

    @property
    def configured(self) -> bool:
        """A Redis other processes share (not the embedded default)."""
        return bool(self.url or self.sentinels)

    @property
    def uri(self) -> str | None:
        """One URI for libraries that take one (Flask-Limiter's storage): redis:// or redis+sentinel://."""
        if self.sentinels:
            hosts = ",".join(f"{host}:{port}" for host, port in self.sentinels)
            return f"redis+sentinel://{hosts}/{self.sentinel_master}"
        return self.url


def rq_settings(location: RedisLocation) -> dict:
    """The same Redis in the form RQ's command line reads from a settings module (`rq worker -c`):
    REDIS_URL, or RQ's own SENTINEL dictionary."""
    if not location.sentinels:
        return {"REDIS_URL": location.url, "SENTINEL": None}
    return {"REDIS_URL": None, "SENTINEL": {
        "INSTANCES": list(location.sentinels), "MASTER_NAME": location.sentinel_master,
        # No socket timeout: a worker blocks on its queues for minutes (BLMOVE), as with REDIS_URL.
        "SENTINEL_KWARGS": dict(SENTINEL_QUERY),
        "CONNECTION_KWARGS": {"socket_connect_timeout": 1, "socket_keepalive": True},
    }}


def has_redis(env: Mapping[str, str]) -> bool:
    """The environment names a Redis of its own (either way), so no embedded line is joined."""
    return "REDIS_URL" in env or any(name in env for name in SENTINEL_PAIR)


def read_location(env: Mapping[str, str]) -> RedisLocation:
    """The location from stripped, non-empty variables; a half-set Sentinel pair is refused by name."""
    present = [name for name in SENTINEL_PAIR if name in env]
    if len(present) == 1:
        missing = next(name for name in SENTINEL_PAIR if name not in env)
        raise RedisLocationError(f"{present[0]} is set but {missing} is not: Sentinel needs both "
                                 "(REDIS_SENTINELS=host:port,host:port and REDIS_SENTINEL_MASTER=name)")
    wait = _replica_wait(env.get("LANTERN_REPLICA_WAIT_MS"))
    if present:
        return RedisLocation(sentinels=_sentinels(env["REDIS_SENTINELS"]),
                             sentinel_master=env["REDIS_SENTINEL_MASTER"], replica_wait_ms=wait)
    return RedisLocation(url=env.get("REDIS_URL"), replica_wait_ms=wait)


def _sentinels(raw: str) -> tuple[tuple[str, int], ...]:
    addresses = []
    for item in (part.strip() for part in raw.split(",")):
        host, _, port = item.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise RedisLocationError(f"REDIS_SENTINELS: {item!r} is not host:port "
                                     "(e.g. REDIS_SENTINELS=10.0.0.5:26379,10.0.0.6:26379)")
        addresses.append((host.strip("[]"), int(port)))
    return tuple(addresses)


def _replica_wait(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_REPLICA_WAIT_MS
    if not raw.isdigit() or int(raw) > MAX_REPLICA_WAIT_MS:
        raise RedisLocationError(f"LANTERN_REPLICA_WAIT_MS must be a whole number of milliseconds from 0 "
                                 f"to {MAX_REPLICA_WAIT_MS}, not {raw!r}")
    return int(raw)
