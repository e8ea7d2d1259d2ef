"""The client every process uses for the line's Redis: one address, or the primary Sentinel names.

Short timeouts: with Redis down (or its primary failing over) the webhook must still answer well inside
Twilio's 15 s, and inside the 3 s a survivor waits for the safety reply. One quick retry (a pooled
connection that died with a Redis restart), never a back-off: the outage spool takes the message at once.

With Sentinel (redis-py's own), a connection asks the sentinels for the primary each time it connects;
the pool drops its connections when the primary changes, and a write that reaches a former primary (now
a replica) is a ConnectionError, so it is spooled and replayed on the new primary like any outage.
"""
from __future__ import annotations

from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from redis.sentinel import Sentinel

from config.redis_location import SENTINEL_QUERY, RedisLocation


def client_options() -> dict:
    return {"socket_timeout": 2, "socket_connect_timeout": 1, "health_check_interval": 30,
            "retry": Retry(NoBackoff(), 1)}


def connect(location: RedisLocation) -> Redis:
    """A client on the line's Redis (REDIS_URL, or the current primary through REDIS_SENTINELS)."""
    if location.sentinels:
        sentinel = Sentinel(list(location.sentinels), sentinel_kwargs=SENTINEL_QUERY)
        return sentinel.master_for(location.sentinel_master, **client_options())
    if not location.url:
        raise ValueError("no Redis configured")
    return Redis.from_url(location.url, **client_options())
