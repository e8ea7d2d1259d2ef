"""The web chat's own keys: what a browser tab is shown, when the tab was last seen, and rate counters.

A tab is named only by its conversation (the keyed hash of "web:<token>"); the token itself is never stored.
The inbox is a Redis stream: its ids only grow (DELETE trims it, keeping its last id), so a tab's cursor
stays right.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import timedelta

from redis import Redis

from store.crypto import Cipher, keyed_hash
from store.keys import burst_key, key_for, rate_key

INBOX_MAX = 1000  # a tab is shown at most this many latest messages (the transcript keeps them all)
_CURSOR = re.compile(r"^\d{1,20}-\d{1,20}$")


class BadCursor(ValueError):
    """The tab's cursor is not a message id this store hands out."""


@dataclass(frozen=True)
class ChatEntry:
    """One message as the tab shows it: by "you", "bot" or "advocate" (with the advocate's first name)."""

    id: str
    by: str
    text: str
    name: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "by": self.by, "text": self.text, "name": self.name}


class WebChats:
    def __init__(self, redis: Redis, cipher: Cipher, lookup_key: bytes, retention: timedelta):
        self.redis = redis
        self.cipher = cipher
        self._lookup_key = lookup_key
        self.retention = int(retention.total_seconds())

    def deliver(self, conversation: str, messages: list[tuple[str, str, str]]) -> list[ChatEntry]:
        """Add (by, text, name) messages for the tab, in order, in one transaction."""
        inbox = key_for(conversation, "inbox")
        pipe = self.redis.pipeline(transaction=True)
        for by, text, name in messages:
            payload = json.dumps({"by": by, "text": text, "name": name}, ensure_ascii=False)
            pipe.xadd(inbox, {"e": self.cipher.encrypt(payload)}, maxlen=INBOX_MAX, approximate=True)
        pipe.expire(inbox, self.retention)
        ids = pipe.execute()[:-1]
        return [ChatEntry(_text(i), by, text, name) for i, (by, text, name) in zip(ids, messages)]

    def since(self, conversation: str, after: str | None) -> list[ChatEntry]:
        """The tab's messages after its cursor (all of them without one)."""
        check_cursor(after)
        rows = self.redis.xrange(key_for(conversation, "inbox"), min=f"({after}" if after else "-")
        return [self._entry(row_id, fields) for row_id, fields in rows]  # type: ignore[union-attr]  # redis-py types replies loosely

    def clear(self, conversation: str) -> None:
        """DELETE: the tab's copy goes with the transcript. Trimmed, not deleted: the stream keeps its last id,
        so the next message's id is still above the tab's cursor even within the same millisecond."""
        self.redis.xtrim(key_for(conversation, "inbox"), maxlen=0)

    def touch(self, conversation: str, now: float | None = None) -> None:
        visit = key_for(conversation, "visit")
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(visit, "seen", now or time.time())
        pipe.expire(visit, self.retention)
        pipe.execute()

    def seen_at(self, conversation: str) -> float | None:
        raw = self.redis.hget(key_for(conversation, "visit"), "seen")
        return float(raw) if raw else None

    def end(self, conversation: str) -> None:
        """Quick exit: the tab's messages go and its token is never accepted again."""
        visit = key_for(conversation, "visit")
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(key_for(conversation, "inbox"))
        pipe.hset(visit, "ended", 1)
        pipe.expire(visit, self.retention)
        pipe.execute()

    def ended(self, conversation: str) -> bool:
        return bool(self.redis.hget(key_for(conversation, "visit"), "ended"))

    def claim_idle_check(self, conversation: str, session: int) -> bool:
        """True for the one caller that should schedule this session's idle check."""
        visit = key_for(conversation, "visit")
        claimed = self.redis.hsetnx(visit, f"idle_check:{session}", 1)
        self.redis.expire(visit, self.retention)
        return bool(claimed)

    def release_idle_check(self, conversation: str, session: int) -> None:
        self.redis.hdel(key_for(conversation, "visit"), f"idle_check:{session}")

    def count(self, scope: str, name: str, window_seconds: int, now: float | None = None) -> int:
        """Count one more hit in this fixed window; returns the count so far, this one included."""
        window = int((now or time.time()) // window_seconds)
        key = rate_key(scope, name, window)
        pipe = self.redis.pipeline(transaction=True)
        pipe.incr(key)
        pipe.expire(key, window_seconds * 2)
        return int(pipe.execute()[0])

    def set_source(self, conversation: str, source: str) -> None:
        """Where a chat came from: a keyed hash of its network address (address_name), never the address."""
        visit = key_for(conversation, "visit")
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(visit, "source", source)
        pipe.expire(visit, self.retention)
        pipe.execute()

    def source_of(self, conversation: str) -> str | None:
        raw = self.redis.hget(key_for(conversation, "visit"), "source")
        return raw.decode() if raw else None  # type: ignore[union-attr]  # redis-py types replies loosely

    def page_slot(self, source: str, conversation: str, window: int, per_source: int, overall: int) -> bool:
        """Whether this chat may page one by one in this window: it already did, or its source and the whole
        line are under their counts of distinct chats (then it is counted)."""
        mine, everyone = rate_key("pages-source", source, window), rate_key("pages-web", "all", window)
        pipe = self.redis.pipeline(transaction=False)
        pipe.sismember(mine, conversation)
        pipe.scard(mine)
        pipe.scard(everyone)
        already, from_source, in_all = pipe.execute()
        if already:
            return True
        if from_source >= per_source or in_all >= overall:
            return False
        pipe = self.redis.pipeline(transaction=True)
        for key in (mine, everyone):
            pipe.sadd(key, conversation)
            pipe.expire(key, 3600)
        pipe.execute()
        return True

    def hold_page(self, window: int, code: str) -> int:
        """Hold a chat's page for its window's one burst page; returns how many are held in it so far."""
        key = burst_key(window)
        pipe = self.redis.pipeline(transaction=True)
        pipe.sadd(key, code)
        pipe.scard(key)
        pipe.expire(key, 3600)
        return int(pipe.execute()[1])

    def held_pages(self, window: int) -> list[str]:
        return sorted(m.decode() for m in self.redis.smembers(burst_key(window)))  # type: ignore[union-attr]  # redis-py types replies loosely

    def address_name(self, address: str) -> str:
        """A keyed hash of a network address: counters never hold the address itself."""
        return keyed_hash(self._lookup_key, "ip:" + address)

    def _entry(self, row_id, fields) -> ChatEntry:
        data = json.loads(self.cipher.decrypt(fields[b"e"]))
        return ChatEntry(_text(row_id), data["by"], data["text"], data.get("name", ""))


def check_cursor(after: str | None) -> None:
    if after and not _CURSOR.match(after):
        raise BadCursor("after must be a message id such as 1700000000000-0")


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
