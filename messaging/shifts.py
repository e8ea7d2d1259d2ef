"""Jobs that follow the clock: a survivor's safe time opening, and each shift starting or ending."""
from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from rq import Queue

from bot.advocates import AdvocateTexts
from bot.conversation import Conversation
from config.hours import Hours
from messaging import job_ids
from messaging.postbox import Postbox
from store.redis_store import RedisStore
from store.roster import Roster
from store.stats import RequestStats

log = logging.getLogger(__name__)
PRIORITY_ORDER = ("URGENT", "HIGH", "NORMAL")


@dataclass(frozen=True)
class ShiftJobs:
    """What the clock's jobs run with, built once per process (wiring.py)."""

    store: RedisStore
    roster: Roster
    postbox: Postbox
    texts: AdvocateTexts
    hours: Hours
    stats: RequestStats
    queue: Queue


def window_opened(jobs: ShiftJobs, conversation: str, session: int) -> str:
    """A booked request's safe time has come: remind whoever holds it, or page the advocates on shift."""
    conv = jobs.store.get(conversation)
    if conv is None or conv.session != session or conv.priority is None:
        return "no longer waiting"
    if conv.advocate:
        text = jobs.texts("window_open_yours", code=conv.case_code, window=conv.window)
        jobs.postbox.to_advocate(conv.advocate, text, "notice", conv)
        return "reminded"
    text = jobs.texts("window_open_page", code=conv.case_code, window=conv.window)
    advocates = jobs.roster.to_page(urgent=False)
    for advocate in advocates:
        jobs.postbox.to_advocate(advocate.id, text, "page", conv)
    return f"paged {len(advocates)}"


def schedule_shift_watch(queue: Queue, hours: Hours, now: float | None = None) -> None:
    """Put the next shift change on the scheduler (one job per change: scheduling twice is harmless)."""
    at = datetime.fromtimestamp(now or time.time(), timezone.utc)
    change = hours.next_change(at)
    if change is not None:
        queue.enqueue_at(change, shift_changed, job_id=job_ids.shift_change(change.timestamp()))


def shift_changed(jobs: ShiftJobs) -> str:
    """At a shift's start: page those on shift with the queue, and tell supervisors about the night."""
    now = time.time()
    try:
        if not jobs.hours.is_staffed(datetime.fromtimestamp(now, timezone.utc)):
            return "shift ended"
        return shift_started(jobs, now)
    finally:
        schedule_shift_watch(jobs.queue, jobs.hours, now + 1)


def shift_started(jobs: ShiftJobs, now: float) -> str:
    waiting = jobs.store.waiting_requests()
    text = jobs.texts("shift_start", items=queue_counts(waiting)) if waiting else jobs.texts("shift_start_empty")
    advocates = jobs.roster.to_page(urgent=False)
    for advocate in advocates:
        jobs.postbox.to_advocate(advocate.id, text, "page")
    at = datetime.fromtimestamp(now, timezone.utc)
    night_began = jobs.hours.last_shift_end(at) or at - timedelta(days=1)
    since = night_began.timestamp()
    summary = night_summary(jobs.stats, jobs.texts, since, now)
    for supervisor in jobs.roster.supervisors():
        jobs.postbox.to_advocate(supervisor.id, summary, "notice")
    log.info("shift started waiting=%s paged=%s", len(waiting), len(advocates))
    return f"paged {len(advocates)}"


def queue_counts(waiting: list[Conversation]) -> str:
    """'1 URGENT (K7Q2); 2 NORMAL (M3P8, A4B5)': counts and codes only, never a number or words."""
    by_priority: dict[str, list[str]] = {}
    for conv in waiting:
        if conv.priority is not None:
            by_priority.setdefault(conv.priority.value, []).append(conv.case_code or "????")
    return "; ".join(f"{len(codes)} {p} ({', '.join(codes)})" for p in PRIORITY_ORDER
                     if (codes := by_priority.get(p)))


def night_summary(stats: RequestStats, texts: AdvocateTexts, since: float, until: float) -> str:
    records = [r for r in stats.between(since, until) if r.after_hours]
    kinds = Counter(r.priority for r in records)
    breakdown = ", ".join(f"{kinds[p]} {p}" for p in PRIORITY_ORDER if kinds[p]) or "none"
    claims = [f"{r.code} {round((r.claimed_at - r.requested_at) / 60)} min" if r.claimed_at else f"{r.code} unclaimed"
              for r in records if r.priority == "URGENT"]
    return texts("night_summary", count=len(records), breakdown=breakdown,
                         paged=sum(1 for r in records if r.paged), claims="; ".join(claims) or "none")
