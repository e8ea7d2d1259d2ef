"""Outreach in the worker: the card's advocate paged first, check-ins sent in their window, report counts.

Jobs take ids only and log no personal data; every message still passes send_message's safety re-check.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone

from rq.exceptions import NoSuchJobError
from rq.job import Job

from bot.conversation import Conversation, Priority
from bot.errors import ConversationBusy, ConversationChanged
from bot.outreach import ScheduleCheckIn, checkin_refusal
from messaging import job_ids, runtime
from messaging.scheduling import enqueue_at, enqueue_in

log = logging.getLogger(__name__)
UNCLAIMED_AFTER = timedelta(minutes=15)


class OutreachMessaging:
    """What RQMessenger hands over: card-first pages, check-ins to schedule, counters to move."""

    def __init__(self, messenger, outreaches, reports, org):
        self.messenger = messenger
        self.outreaches = outreaches
        self.reports = reports
        self.org = org

    def page_card_advocate_first(self, conv: Conversation, write=None) -> bool:
        """Not danger, and the advocate on their card is on shift: page them alone, everyone later."""
        if conv.priority is Priority.URGENT or not conv.card_advocate:
            return False
        advocate = self.messenger.roster.get(conv.card_advocate)
        if advocate is None or not advocate.available:
            return False
        outreach = self.outreaches.get(conv.outreach) if conv.outreach else None
        met = self.messenger.texts("page_note_met", outreach=outreach.name if outreach else "on an outreach")
        self.messenger.page_these([advocate], conv, extra_note=met, write=write)
        enqueue_in(self.messenger.queue, self.org.card_first, card_first_ended, conv.key, conv.session,
                   job_id=job_ids.card_first(conv.key, conv.session), write=write)
        return True

    def schedule_checkin(self, conv: Conversation, checkin: ScheduleCheckIn, write=None) -> None:
        enqueue_at(self.messenger.queue, datetime.fromtimestamp(checkin.due_at, timezone.utc), send_checkin,
                   conv.key, checkin.id, job_id=job_ids.checkin(conv.key, checkin.id), write=write)

    def watch_unclaimed(self, conv: Conversation, write=None) -> None:
        """In 15 minutes, count the request if nobody has claimed it (for the report)."""
        enqueue_in(self.messenger.queue, UNCLAIMED_AFTER, count_if_unclaimed, conv.key, conv.session,
                   conv.requested_at, job_id=_unclaimed_job_id(conv), write=write)

    def claimed(self, conv: Conversation) -> None:
        """A claim ends the watches: nothing left to count, no card-first page to follow up."""
        queue = self.messenger.queue
        for job_id in (_unclaimed_job_id(conv), job_ids.card_first(conv.key, conv.session)):
            try:
                Job.fetch(job_id, connection=queue.connection, serializer=queue.serializer).delete()
            except NoSuchJobError:
                pass


def _unclaimed_job_id(conv: Conversation) -> str:
    return job_ids.unclaimed(conv.key, conv.session, conv.requested_at)


def card_first_ended(conversation: str, session: int) -> str:
    """The card's advocate has not claimed in time: page everyone as for any request, and escalate as usual."""
    lantern = runtime.current()
    conv = lantern.store.get(conversation)
    if conv is None or conv.session != session or not conv.has_open_request:
        return "no longer waiting"
    if conv.priority is Priority.URGENT:
        return "already paged to everyone"  # it became danger meanwhile: everyone was paged then
    messenger = lantern.messenger
    on_call = conv.priority is Priority.URGENT or (conv.after_hours and conv.priority is Priority.HIGH)
    paged = messenger.page(conv, urgent=on_call)
    messenger.schedule_escalation(conv)
    log.info("card-first page timed out conv=%s paged=%s", conversation[:12], paged)
    return f"paged {paged}"


def send_checkin(conversation: str, checkin: str) -> str:
    """One check-in they agreed to, now due: still theirs, not stopped or quiet, and inside their window."""
    lantern = runtime.current()
    for _ in range(5):  # a message of theirs written meanwhile: decide again on what it left
        try:
            return _send_checkin(lantern, conversation, checkin)
        except ConversationChanged:
            continue
    raise ConversationBusy()


def _send_checkin(lantern, conversation: str, checkin: str) -> str:
    hours, now = lantern.settings.content.hours, time.time()
    conv = lantern.store.get(conversation)
    reason = checkin_refusal(conv, checkin, lantern.store.is_opted_out(conversation))
    if reason:
        log.info("check-in not sent reason=%s", reason)
        return f"not sent: {reason}"
    at = datetime.fromtimestamp(now, timezone.utc)
    if not hours.in_window(conv.checkin["window"], at):
        lantern.queue.enqueue_at(hours.next_window(conv.checkin["window"], at), send_checkin, conversation,
                                 checkin, job_id=job_ids.checkin_held(conversation, checkin))
        return "held for their window"
    conv.checkin, conv.checkin_sent_at = None, now  # at most one per yes, whatever happens next
    write = lantern.store.begin(conv)
    lantern.store.write_state(write, conv)
    lantern.messenger.to_survivor(conv, lantern.engine.say("checkin", conv.lang), "checkin", write)
    if not lantern.store.apply(write):
        raise ConversationChanged()
    return "queued"


def count_if_unclaimed(conversation: str, session: int, requested_at: float) -> str:
    lantern = runtime.current()
    conv = lantern.store.get(conversation)
    if conv is None or conv.session != session or conv.requested_at != requested_at or not conv.has_open_request:
        return "claimed or gone"
    lantern.reports.count_once(f"unclaimed:{conversation}:{requested_at}", "unclaimed_15", requested_at)
    return "counted"
