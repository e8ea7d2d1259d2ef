"""Outreach in the worker: the card's advocate paged first, check-ins sent in their window, report counts.

Jobs take ids only and log no personal data; every message still passes send_message's safety re-check.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job

from bot.advocates import AdvocateTexts
from bot.conversation import Conversation, Priority
from bot.engine import Engine
from bot.errors import ConversationBusy, ConversationChanged
from bot.outreach import ScheduleCheckIn, checkin_refusal
from config.content import Org
from config.hours import Hours
from messaging import job_ids
from messaging.escalation import Escalation
from messaging.postbox import Postbox
from messaging.routing import Router
from messaging.scheduling import enqueue_at, enqueue_in
from store.outreach import Outreaches
from store.redis_store import RedisStore
from store.reports import ReportCounters
from store.roster import Roster
from store.turn_write import TurnWrite

log = logging.getLogger(__name__)
UNCLAIMED_AFTER = timedelta(minutes=15)


class OutreachMessaging:
    """What RQMessenger hands over: card-first pages, check-ins to schedule, counters to move."""

    def __init__(self, postbox: Postbox, roster: Roster, texts: AdvocateTexts, outreaches: Outreaches, org: Org):
        self.postbox = postbox
        self.queue = postbox.queue
        self.roster = roster
        self.texts = texts
        self.outreaches = outreaches
        self.org = org

    def page_card_advocate_first(self, conv: Conversation, write: TurnWrite | None = None) -> bool:
        """Not danger, and the advocate on their card is on shift: page them alone, everyone later."""
        if conv.priority is Priority.URGENT or not conv.card_advocate:
            return False
        advocate = self.roster.get(conv.card_advocate)
        if advocate is None or not advocate.available:
            return False
        outreach = self.outreaches.get(conv.outreach) if conv.outreach else None
        met = self.texts("page_note_met", outreach=outreach.name if outreach else "on an outreach")
        self.postbox.page_these([advocate], conv, extra_note=met, write=write)
        enqueue_in(self.queue, self.org.card_first, card_first_ended, conv.key, conv.session,
                   job_id=job_ids.card_first(conv.key, conv.session), write=write)
        return True

    def schedule_checkin(self, conv: Conversation, checkin: ScheduleCheckIn, write: TurnWrite | None = None) -> None:
        enqueue_at(self.queue, datetime.fromtimestamp(checkin.due_at, timezone.utc), send_checkin,
                   conv.key, checkin.id, job_id=job_ids.checkin(conv.key, checkin.id), write=write)

    def watch_unclaimed(self, conv: Conversation, write: TurnWrite | None = None) -> None:
        """In 15 minutes, count the request if nobody has claimed it (for the report)."""
        enqueue_in(self.queue, UNCLAIMED_AFTER, count_if_unclaimed, conv.key, conv.session,
                   conv.requested_at, job_id=_unclaimed_job_id(conv), write=write)

    def claimed(self, conv: Conversation) -> None:
        """A claim ends the watches: nothing left to count, no card-first page to follow up."""
        queue = self.queue
        for job_id in (_unclaimed_job_id(conv), job_ids.card_first(conv.key, conv.session)):
            try:
                Job.fetch(job_id, connection=queue.connection, serializer=queue.serializer).delete()
            except NoSuchJobError:
                pass


def _unclaimed_job_id(conv: Conversation) -> str:
    return job_ids.unclaimed(conv.key, conv.session, conv.requested_at)


@dataclass(frozen=True)
class OutreachJobs:
    """What the outreach jobs run with, built once per process (wiring.py)."""

    store: RedisStore
    router: Router
    escalation: Escalation
    postbox: Postbox
    hours: Hours
    queue: Queue
    engine: Engine
    reports: ReportCounters


def card_first_ended(jobs: OutreachJobs, conversation: str, session: int) -> str:
    """The card's advocate has not claimed in time: page everyone as for any request, and escalate as usual."""
    conv = jobs.store.get(conversation)
    if conv is None or conv.session != session or not conv.has_open_request:
        return "no longer waiting"
    if conv.priority is Priority.URGENT:
        return "already paged to everyone"  # it became danger meanwhile: everyone was paged then
    on_call = conv.after_hours and conv.priority is Priority.HIGH  # not URGENT: that returned above
    paged = jobs.router.page(conv, urgent=on_call)
    jobs.escalation.schedule(conv)
    log.info("card-first page timed out conv=%s paged=%s", conversation[:12], paged)
    return f"paged {paged}"


def send_checkin(jobs: OutreachJobs, conversation: str, checkin: str) -> str:
    """One check-in they agreed to, now due: still theirs, not stopped or quiet, and inside their window."""
    for _ in range(5):  # a message of theirs written meanwhile: decide again on what it left
        try:
            return _send_checkin(jobs, conversation, checkin)
        except ConversationChanged:
            continue
    raise ConversationBusy()


def _send_checkin(jobs: OutreachJobs, conversation: str, checkin: str) -> str:
    hours, now = jobs.hours, time.time()
    conv = jobs.store.get(conversation)
    reason = checkin_refusal(conv, checkin, jobs.store.is_opted_out(conversation))
    if reason or conv is None or conv.checkin is None:
        log.info("check-in not sent reason=%s", reason)
        return f"not sent: {reason}"
    at = datetime.fromtimestamp(now, timezone.utc)
    if not hours.in_window(conv.checkin["window"], at):
        jobs.queue.enqueue_at(hours.next_window(conv.checkin["window"], at), send_checkin, conversation,
                                 checkin, job_id=job_ids.checkin_held(conversation, checkin))
        return "held for their window"
    conv.checkin, conv.checkin_sent_at = None, now  # at most one per yes, whatever happens next
    write = jobs.store.begin(conv)
    jobs.store.write_state(write, conv)
    jobs.postbox.to_survivor(conv, jobs.engine.say("checkin", conv.lang), "checkin", write)
    if not jobs.store.apply(write):
        raise ConversationChanged()
    return "queued"


def count_if_unclaimed(jobs: OutreachJobs, conversation: str, session: int, requested_at: float) -> str:
    conv = jobs.store.get(conversation)
    if conv is None or conv.session != session or conv.requested_at != requested_at or not conv.has_open_request:
        return "claimed or gone"
    jobs.reports.count_once(f"unclaimed:{conversation}:{requested_at}", "unclaimed_15", requested_at)
    return "counted"
