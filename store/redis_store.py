"""The store on Redis: conversations, transcripts, MessageSid claims, opt-outs and the handoff queue.

Numbers and message text are only ever written encrypted; keys name conversations by keyed hash.
"""
from __future__ import annotations

import json
import logging
import secrets
import time
from datetime import timedelta

import orjson
from redis import Redis

from bot.conversation import (
    AdvocateNotice, Conversation, EraseTranscript, Inbound, LiftOptOut, OpenedTurn, Outcome, Priority, RecordOptOut,
    RequestAdvocate, WithdrawRequest,
)
from bot.errors import ConversationChanged
from bot.outreach import ForgetSafetyWord, keep_for
from bot.transcript import transcript_text
from store.crypto import Cipher, keyed_hash
from store.exceptions import CaseCodeTaken
from store.keys import HANDOFF_QUEUE, ROSTER_PHONES, case_code_key, holds_key, key_for, message_sid_key
from store.replication import ReplicaWait
from store.script_call import ThreadConnections, resp
from store.turn_write import APPLIED, CODE_TAKEN, REFERENCE, TurnWrite, TurnWriter

log = logging.getLogger(__name__)

# Twilio retries a webhook for up to a day; keep the claim and its reply for twice that.
MESSAGE_SID_TTL = int(timedelta(hours=48).total_seconds())
CASE_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: read aloud by phone
CASE_CODE_LENGTH = 4
STOP_PENDING = b"pending"
_QUEUE_RANK_SPAN = 10**13  # above any epoch time in milliseconds for centuries


class RedisStore:
    """The one store; the embedded default runs it on an in-process fakeredis server."""

    def __init__(self, redis: Redis, cipher: Cipher, lookup_key: bytes, retention: timedelta,
                 replicas: ReplicaWait | None = None):
        self.redis = redis
        self.cipher = cipher
        self._lookup_key = lookup_key
        self.retention = int(retention.total_seconds())
        connections = ThreadConnections(redis)
        self.writer = TurnWriter(redis, self.retention, replicas, connections)
        self._connections = connections

    def conversation_key(self, address: str) -> str:
        return keyed_hash(self._lookup_key, address)

    def open_turn(self, conversation: str, address: str, sid: str, stop: bool = False) -> OpenedTurn:
        """Everything a turn starts from, in one round trip: the stored reply to this MessageSid (a
        retry), whether the number is an advocate's, and the conversation with its version.

        `stop`: the message is STOP. It is recorded first, in the same round trip, waiting for nothing:
        the version moves on too, so a turn still running for an earlier message writes nothing and
        runs again on the opted-out conversation (its reply and pages then say and send nothing)."""
        keys = [message_sid_key(conversation, sid), key_for(conversation, "state"), key_for(conversation, "optout"),
                key_for(conversation, "version"), key_for(conversation, "block")]
        if stop:  # read what it stops and record it, at once
            pipe = self.redis.pipeline(transaction=True)
            pipe.mget(keys)
            # "pending" until the STOP turn itself is written: every send treats it as STOP already
            pipe.set(key_for(conversation, "optout"), STOP_PENDING, nx=True)
            pipe.incr(key_for(conversation, "version"))
            pipe.hget(ROSTER_PHONES, conversation)  # the roster names numbers by the same keyed hash
            (stored, raw, opted_out, _, blocked), _, version, advocate_id = pipe.execute()
        else:
            # A turn's read: the conversation's keys (one MGET, atomic), then whether the number is on the
            # roster, pipelined as RESP on the thread's connection (store/script_call.py): one round trip, and
            # no script for Redis to run (a third of the read's cost in Redis).
            (stored, raw, opted_out, version, blocked), advocate_id = self._connections.round_trip(
                resp(b"MGET", *(key.encode() for key in keys)) + resp(b"HGET", ROSTER_PHONES.encode(),
                                                                       conversation.encode()), replies=2)
        # A STOP recorded by a turn that did not finish is still run as STOP when that text comes again.
        conv = self._conversation(conversation, address, raw, opted_out and not (stop and opted_out == STOP_PENDING))
        conv.version = int(version or 0)
        return OpenedTurn(
            stored_reply=None if stored is None else self._stored_reply(conversation, stored),
            advocate_id=advocate_id.decode() if advocate_id else None,
            conversation=conv, blocked=blocked is not None,
        )

    def _stored_reply(self, conversation: str, stored: bytes) -> list[str]:
        """The reply a MessageSid got: kept with the claim, or (a survivor's turn) the bot's line of the
        transcript item the claim names. An item erased since (DELETE) leaves nothing to say again."""
        if not stored.startswith(REFERENCE):
            return json.loads(self.cipher.decrypt(stored))
        raw = self.redis.lindex(key_for(conversation, "log"), int(stored[len(REFERENCE):]))
        if raw is None:
            return []
        item = orjson.loads(self.cipher.decrypt(raw))
        return [entry["text"] for entry in item if entry.get("by") == "bot"][:1]

    def _conversation(self, conversation: str, address: str, raw: bytes | None, opted_out) -> Conversation:
        conv = Conversation.from_json(self.cipher.decrypt(raw)) if raw else Conversation(conversation, address)
        conv.address = address
        if opted_out and conv.state != "opted_out":
            conv.state, conv.priority, conv.contact_ok = "opted_out", None, False
        return conv

    def get(self, conversation: str) -> Conversation | None:
        """The conversation with the version it was read at (a later `save` checks it), or None."""
        raw, version = self.redis.mget(key_for(conversation, "state"), key_for(conversation, "version"))
        if not raw:
            return None
        conv = Conversation.from_json(self.cipher.decrypt(raw))
        conv.version = int(version or 0)
        return conv

    def is_opted_out(self, conversation: str) -> bool:
        return bool(self.redis.exists(key_for(conversation, "optout")))

    def conversation_for_code(self, code: str) -> str | None:
        raw = self.redis.get(case_code_key(code.upper()))
        return raw.decode() if raw else None  # type: ignore[union-attr]  # redis-py types replies loosely

    # --- writes: every change to a conversation is one TurnWrite, checked against the version read ---
    def begin(self, conv: Conversation) -> TurnWrite:
        return self.writer.begin(conv.key, conv.version)

    def apply(self, write: TurnWrite) -> bool:
        """Apply a write whole; False when the conversation changed since it was read (run it again)."""
        result = self.writer.apply(write)
        if result == CODE_TAKEN:
            raise CaseCodeTaken()
        return result == APPLIED

    def write_turn(self, write: TurnWrite, outcome: Outcome, inbound: Inbound, now: float) -> None:
        """Record what a survivor's turn changes: state, transcript, the MessageSid claim with its reply,
        opt-out, and the queue entry and case code its effects ask for."""
        conv, pipe = outcome.conversation, write.pipe
        kinds = {type(e) for e in outcome.effects}
        if RequestAdvocate in kinds and conv.case_code is None:
            conv.case_code = self.new_case_code(write)
        state_key, log_key = key_for(conv.key, "state"), key_for(conv.key, "log")
        entries: list[dict] = []
        if EraseTranscript in kinds:
            # Nothing of theirs stays but the reply to this message and, if any, the opt-out record.
            pipe.delete(log_key, state_key, key_for(conv.key, "word"), key_for(conv.key, "misreads"))
        else:
            said = transcript_text(inbound)
            # A web chat opens with a turn of no words (the page opening): nothing of theirs to keep.
            entries = [{"at": now, "by": "survivor", "text": said}] if said else []
            if outcome.replies:
                entries.append({"at": now, "by": "bot", "text": "\n".join(outcome.replies)})
            if entries:  # one encrypted item for the turn's lines: one encryption fewer in every turn
                pipe.rpush(log_key, self.cipher.encrypt(orjson.dumps(entries)))
                pipe.expire(log_key, self.retention)
            pipe.set(state_key, self.cipher.encrypt(conv.to_json()), ex=keep_for(conv, now, self.retention))
        if ForgetSafetyWord in kinds:  # STOP ends it, DELETE erases it: in the same write
            pipe.delete(key_for(conv.key, "word"))
        if EraseTranscript not in kinds and entries:  # the reply is that item's bot line: not encrypted twice
            write.refer(message_sid_key(conv.key, inbound.sid), log_key, MESSAGE_SID_TTL)
        else:
            self.write_reply(write, conv.key, inbound.sid, outcome.replies)
        if RecordOptOut in kinds:
            pipe.set(key_for(conv.key, "optout"), b"1")
        if LiftOptOut in kinds:
            pipe.delete(key_for(conv.key, "optout"))
        self.write_effects(write, conv, outcome.effects)

    def new_case_code(self, write: TurnWrite) -> str:
        """A short code (K7Q2) for advocates, unique while the conversation is kept: the write applies
        only if nobody holds it (else CaseCodeTaken, and the turn runs again with another)."""
        code = "".join(secrets.choice(CASE_CODE_ALPHABET) for _ in range(CASE_CODE_LENGTH))
        write.reserve(case_code_key(code))
        write.pipe.set(case_code_key(code), write.conversation, ex=self.retention)
        return code

    def write_effects(self, write: TurnWrite, conv: Conversation, effects: list) -> None:
        """The effects on keys outside the conversation's slot: the queue, advocates' holds, the code."""
        pipe = write.pipe
        for effect in effects:
            if isinstance(effect, RequestAdvocate):
                pipe.zadd(HANDOFF_QUEUE, {conv.key: queue_score(conv)})
            elif isinstance(effect, WithdrawRequest):
                pipe.zrem(HANDOFF_QUEUE, conv.key)
            elif isinstance(effect, AdvocateNotice) and effect.event != "quiet":
                pipe.srem(holds_key(effect.advocate), conv.key)
        if conv.case_code and any(isinstance(e, RequestAdvocate) for e in effects):
            # CLAIM finds a waiting request by its code: kept as long as a request is kept.
            pipe.expire(case_code_key(conv.case_code), self.retention)

    def write_state(self, write: TurnWrite, conv: Conversation) -> None:
        write.pipe.set(key_for(conv.key, "state"), self.cipher.encrypt(conv.to_json()),
                       ex=keep_for(conv, conv.updated_at or time.time(), self.retention))

    def write_log(self, write: TurnWrite, conversation: str, now: float, by: str, text: str, **extra) -> None:
        write.pipe.rpush(key_for(conversation, "log"), self._entry(now, by, text, **extra))
        write.pipe.expire(key_for(conversation, "log"), self.retention)

    def write_hold(self, write: TurnWrite, advocate: str, conversation: str, held: bool) -> None:
        """An advocate now holds the conversation (`held`), or no longer does."""
        (write.pipe.sadd if held else write.pipe.srem)(holds_key(advocate), conversation)

    def write_reply(self, write: TurnWrite, conversation: str, sid: str, replies: list[str]) -> None:
        """The claim on a MessageSid with the reply it got: a retry of it is answered the same, running nothing."""
        write.pipe.set(message_sid_key(conversation, sid), self.cipher.encrypt(json.dumps(replies)),
                       ex=MESSAGE_SID_TTL)

    def save(self, conv: Conversation, event: str | None = None, now: float = 0.0, effects: tuple = ()) -> None:
        """Write a change to a conversation made outside a turn (the web chat's) whole: state, the queue
        it changes, the event line. ConversationChanged if someone wrote first: read it again."""
        write = self.begin(conv)
        self.write_state(write, conv)
        self.write_effects(write, conv, list(effects))
        if event:
            self.write_log(write, conv.key, now, "event", event)
        if not self.apply(write):
            raise ConversationChanged()
        conv.version += 1

    def withdraw(self, conversation: str, event: str | None = None, now: float = 0.0, tries: int = 5) -> None:
        """Take a conversation out of the queue (a block, Twilio's 21610) by a version-checked write,
        reading it again when a turn of theirs wrote first."""
        for _ in range(tries):
            conv = self.get(conversation)
            if conv is None:
                return
            try:
                return self.save(conv, event, now, effects=(WithdrawRequest(),))
            except ConversationChanged:
                continue

    def transcript(self, conversation: str) -> list[dict]:
        entries = []
        for raw in self.redis.lrange(key_for(conversation, "log"), 0, -1):
            item = json.loads(self.cipher.decrypt(raw))
            entries += item if isinstance(item, list) else [item]  # a turn keeps its lines as one item
        return entries

    def append_log(self, conversation: str, now: float, by: str, text: str, **extra) -> None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.rpush(key_for(conversation, "log"), self._entry(now, by, text, **extra))
        pipe.expire(key_for(conversation, "log"), self.retention)
        pipe.execute()

    def remember_reply(self, conversation: str, sid: str, replies: list[str]) -> None:
        """Keep the reply to a MessageSid that ran outside a survivor's turn (an advocate's command)."""
        self.redis.set(message_sid_key(conversation, sid), self.cipher.encrypt(json.dumps(replies)),
                       nx=True, ex=MESSAGE_SID_TTL)

    def holds(self, advocate: str) -> list[Conversation]:
        """The conversations an advocate holds, oldest claim first; stale entries are dropped."""
        key = holds_key(advocate)
        held = self._named_by(key, list(self.redis.smembers(key)), lambda conv: conv.advocate == advocate)  # type: ignore[arg-type]  # redis-py types replies loosely
        return sorted(held, key=lambda c: c.claimed_at or 0)

    def waiting_requests(self) -> list[Conversation]:
        """The handoff queue: URGENT first, then HIGH, then NORMAL; longest wait first within each."""
        return self._named_by(HANDOFF_QUEUE, self.redis.zrange(HANDOFF_QUEUE, 0, -1),  # type: ignore[arg-type]  # redis-py types replies loosely
                              lambda conv: conv.priority is not None)

    def waiting_count(self, also: str) -> int:
        """How many requests wait, `also` among them, in one round trip and nothing decrypted: a page that says
        how many wait is sent on a request's own turn, and reading every waiting conversation made a burst's
        turns slower the longer the queue grew. Entries of conversations gone since still count until the
        console's next read of the queue drops them."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.zcard(HANDOFF_QUEUE)
        pipe.zscore(HANDOFF_QUEUE, also)
        count, score = pipe.execute()
        return int(count) + (score is None)

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
    return (conv.priority or Priority.NORMAL).rank * _QUEUE_RANK_SPAN + int(waiting_since * 1000)
