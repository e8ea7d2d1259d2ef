"""Turn effects into outbound messages: one outbox record and one RQ job (id only) per message."""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone

from rq import Queue, Retry

from bot.advocates import Advocate, AdvocateTexts
from bot.outreach import ScheduleCheckIn
from bot.conversation import (
    AdvocateNotice, Conversation, Outcome, Priority, RelayToAdvocate, RequestAdvocate, WithdrawRequest,
)
from messaging import job_ids
from messaging.delivery import release_when_they_write
from messaging.scheduling import enqueue_at, enqueue_in, unschedule
from store.outbox import Outbound, Outbox
from store.roster import Roster
from store.stats import RequestStats
from store.turn_write import TurnWrite

log = logging.getLogger(__name__)
# A finished send keeps its (id-only) job briefly: deleting it at once costs RQ more than keeping it.
RESULT_TTL = 600
ESCALATION_STAGES = 2  # 1: page everyone again (and one holding line); 2: page the supervisors


class RQMessenger:
    def __init__(self, queue: Queue, outbox: Outbox, roster: Roster, texts: AdvocateTexts, content,
                 stats: RequestStats, urgent_queue: Queue | None = None, whatsapp=None):
        self.queue = queue
        self.whatsapp = whatsapp  # store.whatsapp_window.WhatsAppWindows: messages held for the window
        self.urgent_queue = urgent_queue or queue
        self.outbox = outbox
        self.roster = roster
        self.texts = texts
        self.org = content.org
        self.minor_note = content.triage.minor_page_note
        self.stats = stats
        # Set by the factory: messaging/outreach.py (card-first pages, check-ins) and store/reports.py.
        self.outreach = None
        self.reports = None
        self.gate = None  # messaging/bursts.py's WebChatBursts: may hold a web chat's page for its burst page
        self.router = None  # messaging/routing.py's Router: who is paged, and when

    # --- what a survivor's turn asks for -------------------------------------------------------
    def after_turn(self, outcome: Outcome, write: TurnWrite) -> None:
        """Record on the turn's own write the pages, relays and notices it asks for, and their jobs:
        they exist if and only if the turn was written."""
        conv = outcome.conversation
        if outcome.counts and self.reports is not None:
            self.reports.count(outcome.counts, conv.updated_at, pipe=write.pipe)
        if self.whatsapp is not None:  # they wrote: WhatsApp's window is open again for what was held
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
            elif isinstance(effect, ScheduleCheckIn) and self.outreach is not None:
                self.outreach.schedule_checkin(conv, effect, write)

    def request_made(self, conv: Conversation, request: RequestAdvocate, write: TurnWrite | None = None) -> None:
        """A new or raised request: page now, or, when booked for a safe time, remind when it comes."""
        self.stats.requested(conv.case_code, conv.requested_at, request.priority.value, conv.after_hours,
                             pipe=write.pipe if write else None)
        if request.booked:
            if conv.window_from:
                self.schedule_window_reminder(conv, write)
            return
        if self.gate is not None and not self.gate.admit(conv):
            return  # waits in the queue; one page counts the burst (messaging/bursts.py)
        if self.outreach is not None:
            self.outreach.watch_unclaimed(conv, write)
            if self.outreach.page_card_advocate_first(conv, write):
                return  # everyone is paged when the card's advocate has not claimed in time
        # After hours the on-call advocates take HIGH as well as URGENT: nobody else is there.
        on_call = request.priority is Priority.URGENT or (request.after_hours and request.priority is Priority.HIGH)
        if self.router is not None:  # messaging/routing.py: capacity, language first, offers, nobody free
            self.router.first_pages(conv, on_call, write)
        else:
            self.page(conv, urgent=on_call, write=write)
        self.schedule_escalation(conv, write=write)

    # --- pages -----------------------------------------------------------------------------------
    def page(self, conv: Conversation, urgent: bool, key: str = "page", wait: str = "",
             write: TurnWrite | None = None) -> int:
        """Page every available advocate (and on-call ones for URGENT): code, priority, language, area only."""
        advocates = self.router.pageable(conv, urgent) if self.router is not None else self.roster.to_page(urgent)
        self._page(advocates, conv, key, wait, write)
        self.stats.paged(conv.case_code, len(advocates), pipe=write.pipe if write else None)
        return len(advocates)

    def page_these(self, advocates: list[Advocate], conv: Conversation, extra_note: str,
                   write: TurnWrite | None = None) -> None:
        """Page the named advocates only (the one on their card), with a note for them."""
        self._page(advocates, conv, "page", "", write, extra_note)
        self.stats.paged(conv.case_code, len(advocates), pipe=write.pipe if write else None)

    def page_supervisors(self, conv: Conversation, wait: str) -> int:
        supervisors = self.roster.supervisors()
        self._page(supervisors, conv, "page_supervisor", wait)
        return len(supervisors)

    def _page(self, advocates: list[Advocate], conv: Conversation, key: str, wait: str,
              write: TurnWrite | None = None, extra_note: str = "") -> None:
        notes = [self.minor_note] if "under_18" in conv.risks and self.minor_note else []
        if conv.safety_word_at and not conv.contact_ok:  # their safety word: danger they can't say
            notes.append(self.texts("page_note_safety_word"))
        elif conv.missed_call_at and not conv.contact_ok:  # they called; nobody took it; they never texted
            notes.append(self.texts("page_note_missed_call"))
        elif not conv.contact_ok:  # "cant talk hes watching": advocates see it at once and text nobody first
            notes.append(self.texts("page_note_no_first_text"))
        if extra_note:
            notes.append(extra_note)
        note = "".join(f" ({n})" for n in notes)
        text = self.texts(key, **request_fields(conv), wait=wait, note=note)
        if advocates:
            pages = self.outbox.create_many("page", "advocate", [text] * len(advocates), [a.id for a in advocates],
                                            pipe=write.pipe if write else None, conversation=conv.key,
                                            session=conv.session, code=conv.case_code)
            self._enqueue(pages, urgent=conv.priority is Priority.URGENT, write=write)

    # --- single messages ---------------------------------------------------------------------------
    def to_survivor(self, conv: Conversation, text: str, kind: str, write: TurnWrite | None = None,
                    template: str = "", message_id: str | None = None) -> Outbound:
        message = self.outbox.create(kind, "survivor", text, message_id, pipe=write.pipe if write else None,
                                     conversation=conv.key, session=conv.session, advocate=conv.advocate,
                                     code=conv.case_code, template=template)
        self._enqueue([message], urgent=False, write=write)
        return message

    def to_advocate(self, advocate: str, text: str, kind: str, conv: Conversation | None = None,
                    write: TurnWrite | None = None) -> Outbound:
        message = self.outbox.create(kind, "advocate", text, pipe=write.pipe if write else None, advocate=advocate,
                                     conversation=conv.key if conv else None, session=conv.session if conv else 0,
                                     code=conv.case_code if conv else None)
        # Pages for URGENT requests and danger alerts jump the line: the worker takes that queue first.
        self._enqueue([message], urgent=conv is not None and conv.priority is Priority.URGENT, write=write)
        return message

    def _enqueue(self, messages: list[Outbound], urgent: bool, write: TurnWrite | None = None) -> None:
        """One RQ job (ids its only arguments) for one message, or for all the pages of one request, which
        it sends at once: ten advocates are paged in the time of one Twilio call, not of ten."""
        from messaging.jobs import send_batch, send_message

        retry, queue = self.org.send_retry_seconds, self.urgent_queue if urgent else self.queue
        if len(messages) == 1:
            job = Queue.prepare_data(send_message, (messages[0].id,), job_id=job_ids.send(messages[0].id),
                                     result_ttl=RESULT_TTL, retry=Retry(max=len(retry), interval=list(retry)),
                                     failure_ttl=int(self.org.retention.total_seconds()))
        else:  # each message of a batch that must be tried again gets a job of its own, with these retries
            job = Queue.prepare_data(send_batch, ([m.id for m in messages],), job_id=job_ids.batch(messages[0].id),
                                     result_ttl=RESULT_TTL, failure_ttl=int(self.org.retention.total_seconds()))
        if write is None:
            queue.enqueue_many([job])
        elif queue.is_async:
            queue.enqueue_many([job], pipeline=write.pipe)
        else:  # inline jobs run as they are enqueued: only once what they send is written
            write.after.append(lambda: queue.enqueue_many([job]))

    def retry_alone(self, message: Outbound, urgent: bool) -> None:
        """A message of a batch that failed for now: its own job, with the usual retries."""
        self._enqueue([message], urgent)

    # --- escalation --------------------------------------------------------------------------------
    def schedule_escalation(self, conv: Conversation, stage: int = 1, write: TurnWrite | None = None) -> None:
        from messaging.jobs import escalate

        enqueue_in(self.queue, self.escalation_delay(conv), escalate, conv.key, conv.session, stage,
                   job_id=escalation_job_id(conv, stage), write=write)

    def schedule_window_reminder(self, conv: Conversation, write: TurnWrite | None = None) -> None:
        from messaging.shifts import window_opened

        enqueue_at(self.queue, datetime.fromtimestamp(conv.window_from, timezone.utc), window_opened, conv.key,
                   conv.session, job_id=job_ids.window_reminder(conv.key, conv.session), write=write)

    def claimed(self, conv: Conversation, write: TurnWrite) -> None:
        """Someone took it: no more escalation; the first claim's time is kept for the night summary."""
        self.cancel_escalation(conv, write)
        if conv.case_code and conv.claimed_at:
            self.stats.claimed(conv.case_code, conv.claimed_at, pipe=write.pipe)
        if self.outreach is not None:
            write.after.append(lambda: self.outreach.claimed(conv))
        if self.router is not None:
            write.after.append(lambda: self.router.claimed(conv))
        if self.reports is not None and conv.claimed_at and conv.requested_at:
            # The first claim is the first human reply: the advocate's introduction goes out with it.
            write.after.append(lambda: self.reports.first_reply(
                f"{conv.key}:{conv.requested_at}", conv.priority.value, conv.after_hours,
                conv.claimed_at - conv.requested_at, conv.claimed_at))

    def place_booked(self, conv: Conversation) -> None:
        if self.reports is not None:
            self.reports.count_once(f"booked:{conv.key}:{conv.session}", "place.booked", time.time())

    def cancel_escalation(self, conv: Conversation, write: TurnWrite | None = None) -> None:
        """No more escalation for this request: on the turn's write when there is one."""
        pipe = write.pipe if write is not None else self.queue.connection.pipeline(transaction=False)
        unschedule(self.queue, [escalation_job_id(conv, stage) for stage in range(1, ESCALATION_STAGES + 1)], pipe)
        if write is None:
            pipe.execute()

    def escalation_delay(self, conv: Conversation) -> timedelta:
        return self.org.escalate_urgent if conv.priority is Priority.URGENT else self.org.escalate_other


def escalation_job_id(conv: Conversation, stage: int) -> str:
    return job_ids.escalation(conv.key, conv.session, stage)


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
