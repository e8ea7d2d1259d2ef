"""Web chats that ask for help in a burst: the first pages as usual, the rest become one page with a count.

Opening a web chat costs nothing, so ten tabs answering "2" could page every advocate ten times. Each
chat still gets its own answer at once (danger is always answered) and waits in the console queue;
what is collapsed is the paging: per source (a keyed hash of the network address) and over the whole
line, in ten-minute windows. At the end of a window that held pages back, one page says how many and
which codes.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from rq import Queue

from bot.advocates import AdvocateTexts
from bot.conversation import Conversation
from config.chat import ChatLimits
from messaging import job_ids
from messaging.postbox import Postbox
from store.redis_store import RedisStore
from store.roster import Roster
from store.webchat import WebChats

log = logging.getLogger(__name__)
WINDOW = 600
SHOWN_CODES = 10


class WebChatBursts:
    def __init__(self, web_chats: WebChats, queue: Queue, limits: ChatLimits, clock: Callable[[], float] = time.time):
        self.web_chats = web_chats
        self.queue = queue
        self.limits = limits
        self.clock = clock

    def admit(self, conv: Conversation) -> bool:
        """True when this request may page now; False when it joins its window's one page."""
        if conv.channel != "web":
            return True
        window = int(self.clock() // WINDOW)
        source = self.web_chats.source_of(conv.key) or "unknown"
        if self.web_chats.page_slot(source, conv.key, window, self.limits.address_pages_per_10_minutes,
                                    self.limits.pages_per_10_minutes):
            return True
        if self.web_chats.hold_page(window, conv.case_code or "????") == 1:
            ends = datetime.fromtimestamp((window + 1) * WINDOW, timezone.utc)
            self.queue.enqueue_at(ends, page_burst, window, job_id=job_ids.burst_page(window))
        log.info("web chat page held for the burst page conv=%s", conv.key[:12])
        return False


@dataclass(frozen=True)
class BurstJobs:
    """What the burst page job runs with, built once per process (wiring.py)."""

    web_chats: WebChats
    store: RedisStore
    roster: Roster
    postbox: Postbox
    texts: AdvocateTexts


def page_burst(jobs: BurstJobs, window: int) -> str:
    """RQ job at a window's end: one page for the web chats held back in it that still wait."""
    waiting = []
    for code in jobs.web_chats.held_pages(window):
        conv_key = jobs.store.conversation_for_code(code)
        conv = jobs.store.get(conv_key) if conv_key else None
        if conv is not None and conv.has_open_request:
            waiting.append(code)
    if not waiting:
        return "nobody left waiting"
    codes = ", ".join(waiting[:SHOWN_CODES]) + (" …" if len(waiting) > SHOWN_CODES else "")
    text = jobs.texts("web_chat_burst", count=str(len(waiting)), wait=f"{WINDOW // 60} min", codes=codes)
    advocates = jobs.roster.to_page(urgent=True)
    for advocate in advocates:
        jobs.postbox.to_advocate(advocate.id, text, "page")
    return f"paged {len(advocates)} for {len(waiting)}"
