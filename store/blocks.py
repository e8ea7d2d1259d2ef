"""Blocked numbers: a supervisor's block on a conversation, by its keyed hash, for 24 hours, 30 days or good.

A blocked number still gets the static safety message (911 and the hotline): it never pages an advocate
and its texts never reach the queue. Nothing here holds a number: a block is named by the conversation's
keyed hash and shows its case code.
"""
from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from redis import Redis

from store.keys import BLOCK_INDEX, key_for

# The lengths a supervisor may choose (`--for` on the command line, the console's menu).
DURATIONS: dict[str, timedelta | None] = {"24h": timedelta(hours=24), "30d": timedelta(days=30), "forever": None}


@dataclass(frozen=True)
class Block:
    conversation: str
    code: str
    until: float | None  # None: for good
    by: str
    at: float


class BlockList:
    def __init__(self, redis: Redis, clock: Callable[[], float] = time.time):
        self.redis = redis
        self.clock = clock

    def add(self, conversation: str, code: str, duration: str, by: str) -> Block:
        if duration not in DURATIONS:
            raise ValueError(f"a block lasts {', '.join(DURATIONS)}, not {duration!r}")
        now, length = self.clock(), DURATIONS[duration]
        block = Block(conversation, code, None if length is None else now + length.total_seconds(), by, now)
        pipe = self.redis.pipeline(transaction=True)
        pipe.set(key_for(conversation, "block"),
                 json.dumps({"code": code, "until": block.until, "by": by, "at": now}),
                 ex=None if length is None else int(length.total_seconds()))
        pipe.zadd(BLOCK_INDEX, {conversation: math.inf if block.until is None else block.until})
        pipe.execute()
        return block

    def remove(self, conversation: str) -> bool:
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(key_for(conversation, "block"))
        pipe.zrem(BLOCK_INDEX, conversation)
        return bool(pipe.execute()[0])

    def is_blocked(self, conversation: str) -> bool:
        return bool(self.redis.exists(key_for(conversation, "block")))

    def get(self, conversation: str) -> Block | None:
        raw = self.redis.get(key_for(conversation, "block"))
        return None if raw is None else _block(conversation, raw)  # type: ignore[arg-type]  # redis-py types replies loosely

    def all(self) -> list[Block]:
        """Blocks in force, the soonest to end first (for good last); ended ones leave the index."""
        self.redis.zremrangebyscore(BLOCK_INDEX, "-inf", f"({self.clock()}")
        members = [m.decode() for m in self.redis.zrange(BLOCK_INDEX, 0, -1)]  # type: ignore[union-attr]  # redis-py types replies loosely
        pipe = self.redis.pipeline(transaction=False)
        for member in members:
            pipe.get(key_for(member, "block"))
        return [_block(member, raw) for member, raw in zip(members, pipe.execute()) if raw is not None]


def _block(conversation: str, raw: bytes) -> Block:
    data = json.loads(raw)
    return Block(conversation, data["code"], data["until"], data["by"], data["at"])
