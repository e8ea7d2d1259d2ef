"""A call nobody took becomes a NORMAL request in the queue, marked "missed call, do not text first".

The caller is never texted first: the conversation has no yes to contact (contact_ok stays False), so every
message to them waits for them to write. Nothing they said is kept: a call has no words here."""
from __future__ import annotations

import logging

from bot.conversation import Conversation, Priority, RequestAdvocate
from bot.errors import ConversationBusy
from messaging.messenger import RQMessenger
from store.blocks import BlockList
from store.exceptions import CaseCodeTaken
from store.redis_store import RedisStore
from store.reports import ReportCounters

log = logging.getLogger(__name__)
TRIES = 5


class MissedCalls:
    def __init__(self, store: RedisStore, blocks: BlockList, messenger: RQMessenger, reports: ReportCounters):
        self.store = store
        self.blocks = blocks
        self.messenger = messenger
        self.reports = reports

    def record(self, address: str, now: float, staffed: bool) -> str:
        """Queue the caller's request (or note the call on the request they already have); returns what was done."""
        store = self.store
        key = store.conversation_key(address)
        if self.blocks.is_blocked(key):
            return "blocked"
        for _ in range(TRIES):
            conv = store.get(key) or Conversation(key=key, address=address, updated_at=now)
            if conv.has_open_request or conv.advocate:
                store.append_log(key, now, "event", "missed call (already in the queue or with an advocate)")
                return "noted"
            try:
                if self._queue(conv, now, staffed):
                    log.info("missed call queued conv=%s", key[:12])
                    return "queued"
            except CaseCodeTaken:
                continue
        raise ConversationBusy()

    def _queue(self, conv: Conversation, now: float, staffed: bool) -> bool:
        store = self.store
        conv.priority, conv.requested_at, conv.missed_call_at = Priority.NORMAL, now, now
        conv.after_hours, conv.contact_ok, conv.updated_at = not staffed, False, now
        request = RequestAdvocate(Priority.NORMAL, after_hours=not staffed)
        write = store.begin(conv)
        if conv.case_code is None:
            conv.case_code = store.new_case_code(write)
        store.write_state(write, conv)
        store.write_effects(write, conv, [request])
        store.write_log(write, conv.key, now, "event", "missed call, do not text first")
        self.messenger.request_made(conv, request, write)
        self.reports.count(["calls.missed"], now, pipe=write.pipe)
        return store.apply(write)
