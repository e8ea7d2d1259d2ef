"""A WhatsApp conversation's window facts and the messages held while it is closed.

Only ids and times are kept here (no number, no words): the texts stay in the outbox, encrypted.
"""
from __future__ import annotations

from redis import Redis

from store.keys import key_for


class WhatsAppWindows:
    def __init__(self, redis: Redis, retention_seconds: int):
        self.redis = redis
        self.retention = retention_seconds

    def hold(self, conversation: str, outbound_id: str) -> bool:
        """Keep a message until they write; True when it is the first one held since they last did."""
        key = key_for(conversation, "held")
        pipe = self.redis.pipeline(transaction=True)
        pipe.rpush(key, outbound_id)
        pipe.expire(key, self.retention)
        length, _ = pipe.execute()
        return length == 1

    def next_held(self, conversation: str) -> str | None:
        """Take the oldest held message off the list (in the order they were written)."""
        raw = self.redis.lpop(key_for(conversation, "held"))
        return raw.decode() if raw else None  # type: ignore[union-attr]  # redis-py types replies loosely

    def put_back(self, conversation: str, outbound_id: str) -> None:
        """A held message that could not go yet goes back to the front, keeping the order."""
        self.redis.lpush(key_for(conversation, "held"), outbound_id)

    def held_count(self, conversation: str) -> int:
        return int(self.redis.llen(key_for(conversation, "held")))

    def mark_closed(self, conversation: str, at: float) -> None:
        """Twilio said the window had closed (63016): it stays closed until they write again."""
        key = key_for(conversation, "whatsapp")
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(key, "closed_at", repr(at))
        pipe.expire(key, self.retention)
        pipe.execute()

    def closed_at(self, conversation: str) -> float | None:
        raw = self.redis.hget(key_for(conversation, "whatsapp"), "closed_at")
        return float(raw) if raw else None

    def claim_reopen(self, conversation: str, last_inbound_at: float | None) -> bool:
        """True once per closed window: the one reopen template it may get."""
        key = key_for(conversation, "whatsapp")
        pipe = self.redis.pipeline(transaction=True)
        pipe.hsetnx(key, f"reopen:{last_inbound_at or 0!r}", "1")
        pipe.expire(key, self.retention)
        claimed, _ = pipe.execute()
        return bool(claimed)
