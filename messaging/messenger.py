"""Turn effects into outbound messages: one outbox record and one RQ job (id only) per message."""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone

from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job

from bot.advocates import Advocate, AdvocateTexts
from bot.conversation import (
    AdvocateNotice, Conversation, Outcome, Priority, RelayToAdvocate, RequestAdvocate, WithdrawRequest,
)
from store.outbox import Outbound, Outbox
from store.roster import Roster
from store.stats import RequestStats

log = logging.getLogger(__name__)
QUEUE_NAME = "lantern"
URGENT_QUEUE_NAME = "lantern-urgent"  # listed first on the worker's command line: taken first
# A finished send keeps its (id-only) job briefly: deleting it at once costs RQ more than keeping it.
RESULT_TTL = 600
ESCALATION_STAGES = 2  # 1: page everyone again (and one holding line); 2: page the supervisors


class RQMessenger:
    def __init__(self, queue: Queue, outbox: Outbox, roster: Roster, texts: AdvocateTexts, content,
                 stats: RequestStats, urgent_queue: Queue | None = None):
        self.queue = queue
        self.urgent_queue = urgent_queue or queue
        self.outbox = outbox
        self.roster = roster
        self.texts = texts
        self.org = content.org
        self.minor_note = content.triage.minor_page_note
        self.stats = stats
        self.gate = None  # messaging/bursts.py's WebChatBursts: may hold a web chat's page for its burst page

    # --- what a survivor's turn asks for -------------------------------------------------------
    def after_turn(self, outcome: Outcome) -> None:
        conv = outcome.conversation
        for effect in outcome.effects:
            if isinstance(effect, RequestAdvocate):
                self.request_made(conv, effect)
            elif isinstance(effect, WithdrawRequest):
                self.cancel_escalation(conv)
            elif isinstance(effect, RelayToAdvocate) and conv.advocate:
                key = "relay_danger" if effect.danger else "relay"
                self.to_advocate(conv.advocate, self.texts(key, code=conv.case_code, text=one_line(effect.text)),
                                 "relay", conv)
            elif isinstance(effect, AdvocateNotice):
                self.to_advocate(effect.advocate, self.texts("notice_" + effect.event, code=effect.code),
                                 "notice", conv)

    def request_made(self, conv: Conversation, request: RequestAdvocate) -> None:
        """A new or raised request: page now, or, when booked for a safe time, remind when it comes."""
        self.stats.requested(conv.case_code, conv.requested_at, request.priority.value, conv.after_hours)
        if request.booked:
            if conv.window_from:
                self.schedule_window_reminder(conv)
            return
        if self.gate is not None and not self.gate.admit(conv):
            return  # waits in the queue; one page counts the burst (messaging/bursts.py)
        # After hours the on-call advocates take HIGH as well as URGENT: nobody else is there.
        on_call = request.priority is Priority.URGENT or (request.after_hours and request.priority is Priority.HIGH)
        self.page(conv, urgent=on_call)
        self.schedule_escalation(conv)

    # --- pages -----------------------------------------------------------------------------------
    def page(self, conv: Conversation, urgent: bool, key: str = "page", wait: str = "") -> int:
        """Page every available advocate (and on-call ones for URGENT): code, priority, language, area only."""
        advocates = self.roster.to_page(urgent)
        self._page(advocates, conv, key, wait)
        self.stats.paged(conv.case_code, len(advocates))
        return len(advocates)

    def page_supervisors(self, conv: Conversation, wait: str) -> int:
        supervisors = self.roster.supervisors()
        self._page(supervisors, conv, "page_supervisor", wait)
        return len(supervisors)

    def _page(self, advocates: list[Advocate], conv: Conversation, key: str, wait: str) -> None:
        notes = [self.minor_note] if "under_18" in conv.risks and self.minor_note else []
        if not conv.contact_ok:  # "cant talk hes watching": advocates see it at once and text nobody first
            notes.append(self.texts("page_note_no_first_text"))
        note = "".join(f" ({n})" for n in notes)
        text = self.texts(key, **request_fields(conv), wait=wait, note=note)
        if advocates:
            pages = self.outbox.create_many("page", "advocate", [text] * len(advocates), [a.id for a in advocates],
                                            conversation=conv.key, session=conv.session, code=conv.case_code)
            self._enqueue(pages, urgent=conv.priority is Priority.URGENT)

    # --- single messages ---------------------------------------------------------------------------
    def to_survivor(self, conv: Conversation, text: str, kind: str) -> Outbound:
        message = self.outbox.create(kind, "survivor", text, conversation=conv.key, session=conv.session,
                                     advocate=conv.advocate, code=conv.case_code)
        self._enqueue([message], urgent=False)
        return message

    def to_advocate(self, advocate: str, text: str, kind: str, conv: Conversation | None = None) -> Outbound:
        message = self.outbox.create(kind, "advocate", text, advocate=advocate,
                                     conversation=conv.key if conv else None, session=conv.session if conv else 0,
                                     code=conv.case_code if conv else None)
        # Pages for URGENT requests and danger alerts jump the line: the worker takes that queue first.
        self._enqueue([message], urgent=conv is not None and conv.priority is Priority.URGENT)
        return message

    def _enqueue(self, messages: list[Outbound], urgent: bool) -> None:
        """One RQ job per message, its id the only argument; all of them in one round trip."""
        from messaging.jobs import send_message

        retry, queue = self.org.send_retry_seconds, self.urgent_queue if urgent else self.queue
        queue.enqueue_many([
            Queue.prepare_data(send_message, (m.id,), job_id="lantern-send-" + m.id, result_ttl=RESULT_TTL,
                               retry=Retry(max=len(retry), interval=list(retry)),
                               failure_ttl=int(self.org.retention.total_seconds()))
            for m in messages])

    # --- escalation --------------------------------------------------------------------------------
    def schedule_escalation(self, conv: Conversation, stage: int = 1) -> None:
        from messaging.jobs import escalate

        self.queue.enqueue_in(self.escalation_delay(conv), escalate, conv.key, conv.session, stage,
                              job_id=escalation_job_id(conv, stage))

    def schedule_window_reminder(self, conv: Conversation) -> None:
        from messaging.shifts import window_opened

        self.queue.enqueue_at(datetime.fromtimestamp(conv.window_from, timezone.utc), window_opened, conv.key,
                              conv.session, job_id=f"lantern-window-{conv.key}-{conv.session}")

    def claimed(self, conv: Conversation) -> None:
        """Someone took it: no more escalation; the first claim's time is kept for the night summary."""
        self.cancel_escalation(conv)
        if conv.case_code and conv.claimed_at:
            self.stats.claimed(conv.case_code, conv.claimed_at)

    def cancel_escalation(self, conv: Conversation) -> None:
        for stage in range(1, ESCALATION_STAGES + 1):
            try:
                Job.fetch(escalation_job_id(conv, stage), connection=self.queue.connection,
                          serializer=self.queue.serializer).delete()
            except NoSuchJobError:
                pass

    def escalation_delay(self, conv: Conversation) -> timedelta:
        return self.org.escalate_urgent if conv.priority is Priority.URGENT else self.org.escalate_other


def escalation_job_id(conv: Conversation, stage: int) -> str:
    return f"lantern-escalate-{conv.key}-{conv.session}-{stage}"


def one_line(text: str) -> str:
    """A survivor's text as one line: newlines and runs of spaces become one space, so it can't lay out a page."""
    return " ".join(text.split())


def request_fields(conv: Conversation) -> dict[str, str]:
    """What a page may say of a request (safety rule 3): never a number, never the survivor's words."""
    return {"code": conv.case_code or "????", "priority": conv.priority.value if conv.priority else "NORMAL",
            # A web chat says so: the visitor reads replies in a browser tab and has no number to call.
            "lang": conv.lang + (", web chat" if conv.channel == "web" else ""), "area": conv.area or "area not given"}


def wait_label(conv: Conversation, now: float | None = None) -> str:
    minutes = int(((now or time.time()) - (conv.requested_at or conv.updated_at)) // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"
