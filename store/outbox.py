"""Outbound messages waiting to be sent: RQ jobs carry only their id, the text stays here, encrypted."""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass, field

from redis import Redis

from store.crypto import Cipher
from store.keys import BY_TWILIO_SID, OUTBOX
from store.replication import ReplicaWait

# Ended without a Twilio message: dropped by the safety re-check, refused (21610) or failed for good.
ENDED = frozenset({"dropped", "opted_out", "failed"})


@dataclass
class Outbound:
    id: str
    kind: str            # page, relay, intro, closing, holding, notice, reopen
    to: str              # "survivor" or "advocate"
    text: str
    conversation: str | None = None
    code: str | None = None  # the case code, so a page's job needs no conversation read
    session: int = 0
    advocate: str | None = None
    status: str = "new"
    reason: str = ""
    twilio_sid: str = ""
    attempts: int = 0
    created_at: float = 0.0
    template: str = ""   # a WhatsApp template's Content SID, sent instead of the text (the reopen message)
    was_held: bool = False  # it waited for WhatsApp's window: its advocate hears when it is read
    # Twilio messages of earlier attempts (a retry, or one held after 63016): their late callbacks change nothing.
    previous_sids: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        """Twilio has it, or it ended: a retried job sends nothing (never twice)."""
        return bool(self.twilio_sid) or self.status in ENDED


def new_id() -> str:
    """An outbound message's id: random, so it names nobody (it rides on jobs and status callback URLs)."""
    return uuid.uuid4().hex


class Outbox:
    def __init__(self, redis: Redis, cipher: Cipher, retention_seconds: int, replicas: ReplicaWait | None = None):
        self.redis = redis
        self.cipher = cipher
        self.retention = retention_seconds
        self.replicas = replicas  # with replicas, a message marked sent is on one before the job goes on

    def create(self, kind: str, to: str, text: str, id_: str | None = None, pipe=None, **fields) -> Outbound:
        return self.create_many(kind, to, [text], ids=[id_] if id_ else None, pipe=pipe, **fields)[0]

    def create_many(self, kind: str, to: str, texts: list[str], advocates: list[str | None] | None = None,
                    ids: list[str] | None = None, pipe=None, **fields) -> list[Outbound]:
        """One record per text (and advocate), written in one round trip (or on `pipe`, a turn's write,
        which writes them): a page to everyone on shift."""
        own = pipe is None
        pipe = self.redis.pipeline(transaction=False) if own else pipe
        messages = []
        for index, text in enumerate(texts):
            if advocates is not None:
                fields["advocate"] = advocates[index]
            message = Outbound(ids[index] if ids else new_id(), kind, to, text, created_at=time.time(), **fields)
            self._save(message, pipe)
            messages.append(message)
        if own:
            pipe.execute()
        return messages

    def get(self, id_: str) -> Outbound | None:
        raw = self.redis.get(OUTBOX + id_)
        return Outbound(**json.loads(self.cipher.decrypt(raw))) if raw else None

    def get_many(self, ids: list[str]) -> list[Outbound | None]:
        """The records of a batch in one round trip, in order (None where one is gone)."""
        raws = self.redis.mget([OUTBOX + id_ for id_ in ids]) if ids else []
        return [Outbound(**json.loads(self.cipher.decrypt(raw))) if raw else None for raw in raws]

    def mark(self, message: Outbound, status: str, reason: str = "", twilio_sid: str = "") -> None:
        message.status, message.reason = status, reason or message.reason
        pipe = self.redis.pipeline(transaction=False)
        if twilio_sid:
            message.twilio_sid = twilio_sid
            pipe.set(BY_TWILIO_SID + twilio_sid, message.id, ex=self.retention)
        self._save(message, pipe)
        if self.replicas is not None and self.replicas.wanted():
            # In the same round trip: a primary lost just after this leaves the new one knowing the message
            # went, so the job, run again after the failover, does not page an advocate a second time.
            pipe.wait(1, self.replicas.timeout_ms)
        pipe.execute()

    def send_again(self, message: Outbound, status: str, reason: str) -> None:
        """Twilio's message for it failed in a way that may pass later: it can be sent anew."""
        if message.twilio_sid:
            message.previous_sids.append(message.twilio_sid)
        message.twilio_sid = ""
        self.mark(message, status, reason)

    def count_attempt(self, message: Outbound) -> int:
        message.attempts += 1
        self._save(message)
        return message.attempts

    def by_twilio_sid(self, sid: str) -> Outbound | None:
        id_ = self.redis.get(BY_TWILIO_SID + sid)
        return self.get(id_.decode()) if id_ else None  # type: ignore[union-attr]  # redis-py types replies loosely

    def _save(self, message: Outbound, pipe=None) -> None:
        (pipe or self.redis).set(OUTBOX + message.id,
                                 self.cipher.encrypt(json.dumps(asdict(message), ensure_ascii=False)),
                                 ex=self.retention)
