"""Safety words, one per conversation: encrypted with the data keys, never shown again, never logged."""
from __future__ import annotations

import json
import time

from redis import Redis

from store.crypto import Cipher
from store.keys import key_for


class SafetyWords:
    def __init__(self, redis: Redis, cipher: Cipher, retention_seconds: int):
        self.redis = redis
        self.cipher = cipher
        self.retention = retention_seconds

    def set(self, conversation: str, folded: str, by: str, now: float | None = None) -> None:
        """Keep the word (already folded by bot/safety_word.py); the caller flags the conversation."""
        record = {"word": folded, "by": by, "at": now or time.time()}
        self.redis.set(key_for(conversation, "word"), self.cipher.encrypt(json.dumps(record, ensure_ascii=False)),
                       ex=self.retention)

    def get(self, conversation: str) -> str | None:
        """The folded word, for matching; its time to live is renewed, as the conversation's is on each text."""
        key = key_for(conversation, "word")
        pipe = self.redis.pipeline(transaction=False)
        pipe.get(key)
        pipe.expire(key, self.retention)
        raw, _ = pipe.execute()
        return json.loads(self.cipher.decrypt(raw))["word"] if raw else None

    def details(self, conversation: str) -> dict | None:
        """Who set it and when: never the word."""
        raw = self.redis.get(key_for(conversation, "word"))
        if raw is None:
            return None
        record = json.loads(self.cipher.decrypt(raw))
        return {"by": record["by"], "at": record["at"]}

    def clear(self, conversation: str) -> None:
        self.redis.delete(key_for(conversation, "word"))
