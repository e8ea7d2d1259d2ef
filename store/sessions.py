"""Console sessions kept in Redis, so that ending one (sign-out, removal, a new password) is immediate."""
from __future__ import annotations

import hashlib
import json
import secrets
import time
from datetime import timedelta
from typing import Callable

from redis import Redis

from store.keys import session_key

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)


class SessionStore:
    """Session data by id. The key is a hash of the id, so reading Redis never yields a usable cookie."""

    def __init__(self, redis: Redis, idle: timedelta = IDLE_TIMEOUT, absolute: timedelta = ABSOLUTE_TIMEOUT,
                 clock: Callable[[], float] = time.time):
        self.redis = redis
        self.idle = idle.total_seconds()
        self.absolute = absolute.total_seconds()
        self.clock = clock

    @staticmethod
    def new_id() -> str:
        return secrets.token_urlsafe(32)

    def load(self, session_id: str) -> tuple[dict | None, str]:
        """(data, "") for a live session; (None, why) when it is unknown or timed out ("idle", "expired")."""
        raw = self.redis.get(_key(session_id))
        if raw is None:
            return None, "unknown"
        data = json.loads(raw)
        now = self.clock()
        why = ("expired" if now - data.get("created", 0) > self.absolute
               else "idle" if now - data.get("seen", 0) > self.idle else "")
        if why:
            self.delete(session_id)
            return None, why
        return data, ""

    def save(self, session_id: str, data: dict) -> None:
        now = self.clock()
        data.setdefault("created", now)
        data.setdefault("seen", now)
        # Redis drops the key a little after the idle timeout; the check in load() is the one that counts.
        self.redis.set(_key(session_id), json.dumps(data, separators=(",", ":")), ex=int(self.idle) + 60)

    def delete(self, session_id: str) -> None:
        self.redis.delete(_key(session_id))


def _key(session_id: str) -> str:
    return session_key(hashlib.sha256(session_id.encode()).hexdigest())
