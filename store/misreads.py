"""Misreads: an advocate's "the bot misread this", kept to teach the understanding (encrypted, never words of theirs).

Each misread is two records. The advocate's own (the right reading and their paraphrase, the language,
who and when) sits in one hash for the whole line: it is theirs, stays when the conversation is erased,
and is what a supervisor exports (`flask --app app understanding misreads`) and the model retrains from.
The case data (which conversation's message it was, what the bot read in it) sits with the conversation
under its hash tag, so the survivor's DELETE erases it in the same write as the transcript.
"""
from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass

from redis import Redis

from store.crypto import Cipher
from store.keys import MISREADS, key_for

NOT_DANGER = "not_danger"  # the reading bot/misreads.py names so: an advocate's "this was not danger"


@dataclass(frozen=True)
class Misread:
    """What an advocate taught: the right reading (a danger category, or not danger) and a paraphrase."""

    id: str
    at: float
    by: str
    lang: str
    reading: str
    paraphrase: str
    kind: str  # missed (danger the bot did not read), false_alarm, or other_category

    @property
    def is_danger(self) -> bool:
        return self.reading != NOT_DANGER


def kind_of(reading: str, bot_read: tuple[str, ...]) -> str:
    if reading == NOT_DANGER:
        return "false_alarm"
    return "other_category" if bot_read else "missed"


class Misreads:
    def __init__(self, redis: Redis, cipher: Cipher, retention_seconds: int, clock=time.time):
        self.redis = redis
        self.cipher = cipher
        self.retention = retention_seconds
        self.clock = clock

    def add(self, conversation: str, message_at: float, bot_read: tuple[str, ...], reading: str,
            paraphrase: str, lang: str, by: str) -> Misread:
        misread = Misread(secrets.token_hex(6), self.clock(), by, lang, reading, paraphrase,
                          kind_of(reading, tuple(bot_read)))
        own = {"at": misread.at, "by": by, "lang": lang, "reading": reading, "paraphrase": paraphrase,
               "kind": misread.kind}
        case = {"message_at": message_at, "bot_read": list(bot_read), "reading": reading, "by": by}
        conv_key = key_for(conversation, "misreads")
        pipe = self.redis.pipeline(transaction=False)  # two slots in a cluster: no transaction across them
        pipe.hset(MISREADS, misread.id, self.cipher.encrypt(json.dumps(own, ensure_ascii=False)))
        pipe.hset(conv_key, misread.id, self.cipher.encrypt(json.dumps(case)))
        pipe.expire(conv_key, self.retention)
        pipe.execute()
        return misread

    def for_conversation(self, conversation: str) -> dict[float, str]:
        """The message times of this conversation that advocates marked, with the right reading."""
        raw = self.redis.hgetall(key_for(conversation, "misreads"))
        cases = (json.loads(self.cipher.decrypt(v)) for v in raw.values())
        return {case["message_at"]: case["reading"] for case in cases}

    def all(self) -> list[Misread]:
        """Every misread the line was taught, oldest first: the advocates' part only, never case data."""
        out = []
        for misread_id, raw in self.redis.hgetall(MISREADS).items():
            own = json.loads(self.cipher.decrypt(raw))
            out.append(Misread(misread_id.decode(), own["at"], own["by"], own["lang"], own["reading"],  # type: ignore[union-attr]  # redis-py types replies loosely
                               own["paraphrase"], own["kind"]))
        return sorted(out, key=lambda m: m.at)
