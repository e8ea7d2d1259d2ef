"""The store on Redis: conversations, transcripts, MessageSid claims, opt-outs and the handoff queue.

Numbers and message text are only ever written encrypted; keys name conversations by keyed hash.
"""
from __future__ import annotations

import json
import logging
import secrets
import time
from contextlib import contextmanager
from datetime import timedelta
from typing import Iterator

from redis import Redis
from redis.exceptions import LockError

from bot.conversation import (
    AdvocateNotice, Conversation, EraseTranscript, Inbound, LiftOptOut, Outcome, RecordOptOut, RequestAdvocate,
    WithdrawRequest,
)
from bot.outreach import ForgetSafetyWord, keep_for
from bot.transcript import transcript_text
from store.crypto import Cipher, keyed_hash
from store.exceptions import LockTimeout
from store.roster import ROSTER_PHONES
from bot.service import OpenedTurn
from store.keys import HANDOFF_QUEUE, case_code_key, holds_key, key_for, message_sid_key

log = logging.getLogger(__name__)

# Twilio retries a webhook for up to a day; keep the claim and its reply for twice that.
MESSAGE_SID_TTL = int(timedelta(hours=48).total_seconds())
CASE_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: read aloud by phone
CASE_CODE_LENGTH = 4
_QUEUE_RANK_SPAN = 10**13  # above any epoch time in milliseconds for centuries


class RedisStore:
    """The one store; the embedded default runs it on an in-process fakeredis server."""

    def __init__(self, redis: Redis, cipher: Cipher, lookup_key: bytes, retention: timedelta,
                 lock_timeout: float = 10.0, lock_wait: float = 3.0):
        self.redis = redis
        self.cipher = cipher
        self._lookup_key = lookup_key
        self.retention = int(retention.total_seconds())
        self.lock_timeout = lock_timeout
        self.lock_wait = lock_wait

    def conversation_key(self, address: str) -> str:
        return keyed_hash(self._lookup_key, address)

    @contextmanager
    def locked(self, conversation: str) -> Iterator[None]:
        """Hold the conversation's lock: two messages of one conversation never run at once."""
        lock = self.redis.lock(key_for(conversation, "lock"), timeout=self.lock_timeout,
                               blocking_timeout=self.lock_wait, thread_local=False)
        if not lock.acquire():
            raise LockTimeout("conversation lock not acquired in time")
        try:
            yield
        finally:
            try:
                lock.release()
            except LockError:
                log.warning("conversation lock expired before release conv=%s", conversation[:12])

    def open_turn(self, conversation: str, address: str, sid: str) -> OpenedTurn:
        """Everything a turn starts from, in one round trip: the stored reply to this MessageSid (a
        retry), whether the number is an advocate's, and the conversation (an opt-out always wins)."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.mget(message_sid_key(conversation, sid), key_for(conversation, "state"), key_for(conversation, "optout"))
        pipe.hget(ROSTER_PHONES, conversation)  # the roster names numbers by the same keyed hash
        (stored, raw, opted_out), advocate_id = pipe.execute()
        return OpenedTurn(
            stored_reply=None if stored is None else json.loads(self.cipher.decrypt(stored)),
            advocate_id=advocate_id.decode() if advocate_id else None,
            conversation=self._conversation(conversation, address, raw, opted_out),
        )

    def _conversation(self, conversation: str, address: str, raw: bytes | None, opted_out) -> Conversation:
        conv = Conversation.from_json(self.cipher.decrypt(raw)) if raw else Conversation(conversation, address)
        conv.address = address
        if opted_out and conv.state != "opted_out":
            conv.state, conv.priority, conv.contact_ok = "opted_out", None, False
        return conv

    def get(self, conversation: str) -> Conversation | None:
        raw = self.redis.get(key_for(conversation, "state"))
        return Conversation.from_json(self.cipher.decrypt(raw)) if raw else None

    def is_opted_out(self, conversation: str) -> bool:
        return bool(self.redis.exists(key_for(conversation, "optout")))

    def reserve_case_code(self, conversation: str) -> str:
        """A short code (K7Q2) for advocates, unique while the conversation is kept."""
        while True:
            code = "".join(secrets.choice(CASE_CODE_ALPHABET) for _ in range(CASE_CODE_LENGTH))
            if self.redis.set(case_code_key(code), conversation, nx=True, ex=self.retention):
                return code

    def conversation_for_code(self, code: str) -> str | None:
        raw = self.redis.get(case_code_key(code.upper()))
        return raw.decode() if raw else None

    def commit(self, outcome: Outcome, inbound: Inbound, now: float) -> None:
        """Write state, transcript, the MessageSid claim with its reply and the opt-out in one MULTI/EXEC."""
        conv = outcome.conversation
        kinds = {type(e) for e in outcome.effects}
        state_key, log_key = key_for(conv.key, "state"), key_for(conv.key, "log")
        pipe = self.redis.pipeline(transaction=True)
        if EraseTranscript in kinds:
            # Nothing of theirs stays but the reply to this message and, if any, the opt-out record.
            pipe.delete(log_key, state_key, key_for(conv.key, "word"))
        else:
            said = transcript_text(inbound)
            # A web chat opens with a turn of no words (the page opening): nothing of theirs to keep.
            entries = [self._entry(now, "survivor", said)] if said else []
            if outcome.replies:
                entries.append(self._entry(now, "bot", "\n".join(outcome.replies)))
            if entries:
                pipe.rpush(log_key, *entries)
            pipe.expire(log_key, self.retention)
            pipe.set(state_key, self.cipher.encrypt(conv.to_json()), ex=keep_for(conv, now, self.retention))
        if ForgetSafetyWord in kinds:  # STOP ends it, DELETE erases it: in the same transaction
            pipe.delete(key_for(conv.key, "word"))
        pipe.set(message_sid_key(conv.key, inbound.sid), self.cipher.encrypt(json.dumps(outcome.replies)),
                 nx=True, ex=MESSAGE_SID_TTL)
        if RecordOptOut in kinds:
            pipe.set(key_for(conv.key, "optout"), b"1")
        if LiftOptOut in kinds:
            pipe.delete(key_for(conv.key, "optout"))
        pipe.execute()

    def record_unprocessed(self, conversation: str, inbound: Inbound, now: float) -> None:
        """Keep a message that could not be run (lock timeout) in the transcript, so it is not lost."""
        self.append_log(conversation, now, "survivor", transcript_text(inbound), unprocessed=True)

    def transcript(self, conversation: str) -> list[dict]:
        return [json.loads(self.cipher.decrypt(raw)) for raw in self.redis.lrange(key_for(conversation, "log"), 0, -1)]

    def apply_effects(self, conv: Conversation, effects: list) -> None:
        """Apply a turn's effects on keys outside the conversation's slot: the queue, advocates' holds."""
        for effect in effects:
            if isinstance(effect, RequestAdvocate):
                self.redis.zadd(HANDOFF_QUEUE, {conv.key: queue_score(conv)})
            elif isinstance(effect, WithdrawRequest):
                self.redis.zrem(HANDOFF_QUEUE, conv.key)
            elif isinstance(effect, AdvocateNotice) and effect.event != "quiet":
                self.drop_hold(effect.advocate, conv.key)
        if conv.case_code and any(isinstance(e, RequestAdvocate) for e in effects):
            # CLAIM finds a waiting request by its code: kept as long as a request is kept.
            self.redis.expire(case_code_key(conv.case_code), self.retention)

    def save(self, conv: Conversation) -> None:
        """Write the conversation alone (an advocate's claim, release or close), under its lock."""
        self.redis.set(key_for(conv.key, "state"), self.cipher.encrypt(conv.to_json()),
                       ex=keep_for(conv, conv.updated_at or time.time(), self.retention))

    def append_log(self, conversation: str, now: float, by: str, text: str, **extra) -> None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.rpush(key_for(conversation, "log"), self._entry(now, by, text, **extra))
        pipe.expire(key_for(conversation, "log"), self.retention)
        pipe.execute()

    def remember_reply(self, conversation: str, sid: str, replies: list[str]) -> None:
        """Keep the reply to a MessageSid that ran outside a survivor's turn (an advocate's command)."""
        self.redis.set(message_sid_key(conversation, sid), self.cipher.encrypt(json.dumps(replies)),
                       nx=True, ex=MESSAGE_SID_TTL)

    def add_hold(self, advocate: str, conversation: str) -> None:
        self.redis.sadd(holds_key(advocate), conversation)

    def drop_hold(self, advocate: str, conversation: str) -> None:
        self.redis.srem(holds_key(advocate), conversation)

    def holds(self, advocate: str) -> list[Conversation]:
        """The conversations an advocate holds, oldest claim first; stale entries are dropped."""
        key = holds_key(advocate)
        held = self._named_by(key, list(self.redis.smembers(key)), lambda conv: conv.advocate == advocate)
        return sorted(held, key=lambda c: c.claimed_at or 0)

    def waiting_requests(self) -> list[Conversation]:
        """The handoff queue: URGENT first, then HIGH, then NORMAL; longest wait first within each."""
        return self._named_by(HANDOFF_QUEUE, self.redis.zrange(HANDOFF_QUEUE, 0, -1),
                              lambda conv: conv.priority is not None)

    def _named_by(self, index: str, members: list[bytes], belongs) -> list[Conversation]:
        """The conversations an index (the queue, an advocate's holds) names, read in one round trip: the
        console asks every few seconds. Members whose conversation expired or moved on leave the index."""
        pipe = self.redis.pipeline(transaction=False)
        for member in members:
            pipe.get(key_for(member.decode(), "state"))
        found, stale = [], []
        for member, raw in zip(members, pipe.execute()):
            conv = Conversation.from_json(self.cipher.decrypt(raw)) if raw else None
            if conv is not None and belongs(conv):
                found.append(conv)
            else:
                stale.append(member)
        if stale and index == HANDOFF_QUEUE:
            self.redis.zrem(index, *stale)
        elif stale:
            self.redis.srem(index, *stale)
        return found

    def _entry(self, now: float, by: str, text: str, **extra) -> bytes:
        return self.cipher.encrypt(json.dumps({"at": now, "by": by, "text": text, **extra}, ensure_ascii=False))


def queue_score(conv: Conversation) -> float:
    """Priority first; within one, the longest wait. A request booked for a safe time waits from then."""
    waiting_since = max(conv.requested_at or conv.updated_at, conv.window_from or 0)
    return conv.priority.rank * _QUEUE_RANK_SPAN + int(waiting_since * 1000)
