"""Turn effects into outbound messages and jobs: what a survivor's turn, a claim or a close asks of messaging/.

The one implementation of bot/ports.py's Messenger. It hands the work on: messaging/postbox.py writes the
messages, messaging/routing.py chooses who is paged, messaging/escalation.py and messaging/outreach.py
schedule what follows.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timezone

from rq import Queue

from bot.advocates import AdvocateTexts
from bot.conversation import (
    AdvocateNotice, Conversation, Outcome, Priority, RelayToAdvocate, RequestAdvocate, WithdrawRequest,
)
from bot.outreach import ScheduleCheckIn
from messaging import job_ids
from messaging.bursts import WebChatBursts
from messaging.delivery import release_when_they_write
from messaging.escalation import Escalation
from messaging.outreach import OutreachMessaging
from messaging.page_fields import one_line
from messaging.postbox import Postbox
from messaging.routing import Router
from messaging.scheduling import enqueue_at
from messaging.shifts import window_opened
from store.outbox import Outbound
from store.reports import ReportCounters
from store.stats import RequestStats
from store.turn_write import TurnWrite
from store.whatsapp_window import WhatsAppWindows

log = logging.getLogger(__name__)


class RQMessenger:
    def __init__(self, postbox: Postbox, router: Router, escalation: Escalation, outreach: OutreachMessaging,
                 gate: WebChatBursts, reports: ReportCounters, stats: RequestStats, whatsapp: WhatsAppWindows,
                 texts: AdvocateTexts):
        self.postbox = postbox
        self.router = router  # who is paged, and when
        self.escalation = escalation
        self.outreach = outreach  # card-first pages, check-ins
        self.gate = gate  # may hold a web chat's page for its burst page
        self.reports = reports
        self.stats = stats
        self.whatsapp = whatsapp  # messages held for WhatsApp's window
        self.texts = texts

    @property
    def queue(self) -> Queue:
        return self.postbox.queue

    @property
    def urgent_queue(self) -> Queue:
        return self.postbox.urgent_queue

    # --- what a survivor's turn asks for -------------------------------------------------------
    def after_turn(self, outcome: Outcome, write: TurnWrite) -> None:
        """Record on the turn's own write the pages, relays and notices it asks for, and their jobs:
        they exist if and only if the turn was written."""
        conv = outcome.conversation
        if outcome.counts:
            self.reports.count(outcome.counts, conv.updated_at, pipe=write.pipe)
        # They wrote: WhatsApp's window is open again for what was held.
        write.after.append(lambda: release_when_they_write(self.queue, self.whatsapp, conv))
        for effect in outcome.effects:
            if isinstance(effect, RequestAdvocate):
                self.request_made(conv, effect, write)
            elif isinstance(effect, WithdrawRequest):
                self.cancel_escalation(conv, write)
            elif isinstance(effect, RelayToAdvocate) and conv.advocate:
                key = "relay_safety_word" if effect.safety_word else "relay_danger" if effect.danger else "relay"
                self.to_advocate(conv.advocate, self.texts(key, code=conv.case_code, text=one_line(effect.text)),
                                 "relay", conv, write)
            elif isinstance(effect, AdvocateNotice):
                self.to_advocate(effect.advocate, self.texts("notice_" + effect.event, code=effect.code),
                                 "notice", conv, write)
            elif isinstance(effect, ScheduleCheckIn):
                self.outreach.schedule_checkin(conv, effect, write)

    def request_made(self, conv: Conversation, request: RequestAdvocate, write: TurnWrite | None = None) -> None:
        """A new or raised request: page now, or, when booked for a safe time, remind when it comes."""
        # A request has its case code and time by now (written with the turn that made it).
        self.stats.requested(conv.case_code or "????", conv.requested_at or conv.updated_at, request.priority.value,
                             conv.after_hours, pipe=write.pipe if write else None)
        if request.booked:
            if conv.window_from:
                self.schedule_window_reminder(conv, write)
            return
        if not self.gate.admit(conv):
            return  # waits in the queue; one page counts the burst (messaging/bursts.py)
        self.outreach.watch_unclaimed(conv, write)
        if self.outreach.page_card_advocate_first(conv, write):
            return  # everyone is paged when the card's advocate has not claimed in time
        # After hours the on-call advocates take HIGH as well as URGENT: nobody else is there.
        on_call = request.priority is Priority.URGENT or (request.after_hours and request.priority is Priority.HIGH)
        self.router.first_pages(conv, on_call, write)  # capacity, language first, offers, nobody free
        self.schedule_escalation(conv, write=write)

    def holding_line(self, outcome: Outcome) -> None:
        """Before the turn is written: a request that finds nobody free is told so (messaging/routing.py)."""
        self.router.holding_line(outcome)

    # --- messages ------------------------------------------------------------------------------------
    def page(self, conv: Conversation, urgent: bool, key: str = "page", wait: str = "",
             write: TurnWrite | None = None) -> int:
        return self.router.page(conv, urgent, key, wait, write)

    def to_survivor(self, conv: Conversation, text: str, kind: str, write: TurnWrite | None = None,
                    template: str = "", message_id: str | None = None) -> Outbound:
        return self.postbox.to_survivor(conv, text, kind, write, template, message_id)

    def to_advocate(self, advocate: str, text: str, kind: str, conv: Conversation | None = None,
                    write: TurnWrite | None = None) -> Outbound:
        return self.postbox.to_advocate(advocate, text, kind, conv, write)

    # --- escalation and what a claim or a close changes -----------------------------------------------
    def schedule_escalation(self, conv: Conversation, stage: int = 1, write: TurnWrite | None = None) -> None:
        self.escalation.schedule(conv, stage, write)

    def cancel_escalation(self, conv: Conversation, write: TurnWrite | None = None) -> None:
        """No more escalation for this request: on the turn's write when there is one."""
        self.escalation.cancel(conv, write)

    def schedule_window_reminder(self, conv: Conversation, write: TurnWrite | None = None) -> None:
        enqueue_at(self.queue, datetime.fromtimestamp(conv.window_from or 0, timezone.utc), window_opened, conv.key,
                   conv.session, job_id=job_ids.window_reminder(conv.key, conv.session), write=write)

    def claimed(self, conv: Conversation, write: TurnWrite) -> None:
        """Someone took it: no more escalation; the first claim's time is kept for the night summary."""
        self.cancel_escalation(conv, write)
        if conv.case_code and conv.claimed_at:
            self.stats.claimed(conv.case_code, conv.claimed_at, pipe=write.pipe)
        write.after.append(lambda: self.outreach.claimed(conv))
        write.after.append(lambda: self.router.claimed(conv))
        if conv.claimed_at and conv.requested_at:
            claimed_at, requested_at = conv.claimed_at, conv.requested_at
            # The first claim is the first human reply: the advocate's introduction goes out with it.
            write.after.append(lambda: self.reports.first_reply(
                f"{conv.key}:{requested_at}", conv.priority.value if conv.priority else "NORMAL", conv.after_hours,
                claimed_at - requested_at, claimed_at))

    def place_booked(self, conv: Conversation) -> None:
        self.reports.count_once(f"booked:{conv.key}:{conv.session}", "place.booked", time.time())

    def count(self, counts: list[str], at: float, write: TurnWrite) -> None:
        """Report counters moved on a desk's own write (a close's outcomes)."""
        self.reports.count(counts, at, pipe=write.pipe)
