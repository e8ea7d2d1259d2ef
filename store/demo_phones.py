"""The screens of /demo's two phones: what each texted the hotline and what the line texted it.

Only the embedded line has them (the demo is never served in production); texts are encrypted and
phones named by keyed hash like everything else, so the demo doesn't teach a habit the line forbids.
"""
from __future__ import annotations

import json

from redis import Redis

from store.crypto import Cipher, keyed_hash
from store.keys import demo_phone_key

SCREEN_MAX = 200  # a phone shows at most this many latest messages


class DemoPhones:
    def __init__(self, redis: Redis, cipher: Cipher, lookup_key: bytes):
        self.redis, self.cipher, self.lookup_key = redis, cipher, lookup_key

    def record(self, number: str, by: str, text: str) -> None:
        """`by` is "me" (the phone texted the hotline) or "line" (the hotline texted the phone)."""
        key = demo_phone_key(keyed_hash(self.lookup_key, number))
        pipe = self.redis.pipeline()
        pipe.rpush(key, self.cipher.encrypt(json.dumps({"by": by, "text": text})))
        pipe.ltrim(key, -SCREEN_MAX, -1)
        pipe.execute()

    def screen(self, number: str) -> list[dict[str, str]]:
        rows = self.redis.lrange(demo_phone_key(keyed_hash(self.lookup_key, number)), 0, -1)
        return [json.loads(self.cipher.decrypt(row)) for row in rows]
