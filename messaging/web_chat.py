"""A web chat's outbound side: messages reach its tab's inbox (after the job's safety re-check, never via
Twilio), and a chat an advocate holds ends when nobody has been at its tab for a while."""
from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from rq import Queue

from bot.web_chat import WebChatDesk
from config.chat_words import advocate_line
from messaging import job_ids
from store.redis_store import RedisStore
from store.webchat import WebChats

log = logging.getLogger(__name__)


class WebChatSender:
    """The sender for "web:" addresses: send_message has already re-checked safety rule 2."""

    def __init__(self, store: RedisStore, chats: WebChats, queue: Queue, idle_minutes: int,
                 clock: Callable[[], float] = time.time):
        self.store = store
        self.chats = chats
        self.queue = queue
        self.idle_seconds = idle_minutes * 60
        self.clock = clock

    def send(self, to: str, body: str, label: str) -> str:
        conv_key = self.store.conversation_key(to)
        if self.chats.ended(conv_key):
            # Quick exit came between the job's re-check and now: no tab can ever read it, so it isn't kept.
            return "WX" + uuid.uuid4().hex
        conv = self.store.get(conv_key)
        name = conv.advocate_name if conv is not None and conv.advocate else ""
        entry = self.chats.deliver(conv_key, [("advocate" if name else "bot", body, name or "")])[0]
        if name and conv is not None and self.chats.claim_idle_check(conv_key, conv.session):
            schedule_idle_check(self.queue, conv_key, conv.session, self.clock() + self.idle_seconds)
        return "WC" + entry.id.replace("-", "")


def schedule_idle_check(queue: Queue, conversation: str, session: int, at: float) -> None:
    queue.enqueue_at(datetime.fromtimestamp(at, timezone.utc), end_idle_chat, conversation, session,
                     job_id=job_ids.idle_check(conversation, session, at), result_ttl=600)


@dataclass(frozen=True)
class IdleChatJobs:
    """What the idle web chat job runs with, built once per process (wiring.py)."""

    web_chats: WebChats
    idle_minutes: int
    store: RedisStore
    queue: Queue
    web_desk: WebChatDesk


def end_idle_chat(jobs: IdleChatJobs, conversation: str, session: int) -> str:
    """With an advocate, end a chat whose tab nobody has been at for idle_minutes; else look again later."""
    chats, minutes = jobs.web_chats, jobs.idle_minutes
    conv = jobs.store.get(conversation)
    if conv is None or conv.session != session or not conv.advocate or chats.ended(conversation):
        chats.release_idle_check(conversation, session)
        return "nobody with them"
    # Idle since the tab was last seen, or since the advocate took the chat if that came later.
    due = max(chats.seen_at(conversation) or 0.0, conv.claimed_at or 0.0) + minutes * 60
    if time.time() < due:
        schedule_idle_check(jobs.queue, conversation, session, due)
        return "not idle yet"
    chats.release_idle_check(conversation, session)
    jobs.web_desk.end(conversation, "web chat ended: nobody at it", closing=True,
                         notice=lambda code: advocate_line("idle", code=code, minutes=str(minutes)))
    log.info("idle web chat ended conv=%s", conversation[:12])
    return "ended"
