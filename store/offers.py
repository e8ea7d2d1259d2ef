"""Who each waiting request has been offered to (handoff.mode: offer): advocate ids, in order."""
from __future__ import annotations

from redis import Redis

from store.keys import offers_key

EVERYONE = "*"
OFFERS_TTL = 7 * 24 * 3600


class Offers:
    def __init__(self, redis: Redis):
        self.redis = redis

    def add(self, conversation: str, advocate: str, pipe=None) -> None:
        target = pipe if pipe is not None else self.redis.pipeline(transaction=False)
        target.rpush(offers_key(conversation), advocate)
        target.expire(offers_key(conversation), OFFERS_TTL)
        if pipe is None:
            target.execute()

    def clear(self, conversation: str, pipe=None) -> None:
        (pipe if pipe is not None else self.redis).delete(offers_key(conversation))

    def of(self, conversation: str) -> list[str]:
        return [raw.decode() for raw in self.redis.lrange(offers_key(conversation), 0, -1)]  # type: ignore[union-attr]  # redis-py types replies loosely

    def of_many(self, conversations: list[str]) -> dict[str, list[str]]:
        """Every conversation's offers in one round trip (the console's queue)."""
        if not conversations:
            return {}
        pipe = self.redis.pipeline(transaction=False)
        for conversation in conversations:
            pipe.lrange(offers_key(conversation), 0, -1)
        return {c: [raw.decode() for raw in found] for c, found in zip(conversations, pipe.execute())}
