"""Turn effects into outbound messages: one outbox record and one RQ job (id only) per message."""
from __future__ import annotations

import logging
import time
from datetime import timedelta

from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job

from bot.advocates import Advocate, AdvocateTexts
from bot.conversation import (
    AdvocateNotice, Conversation, Outcome, Priority, RelayToAdvocate, RequestAdvocate, WithdrawRequest,
)
from store.outbox import Outbound, Outbox
from store.roster import Roster

log = logging.getLogger(__name__)
QUEUE_NAME = "lantern"
ESCALATION_STAGES = 2  # 1: page everyone again (and one holding line); 2: page the supervisors


class RQMessenger:
    def __init__(self, queue: Queue, outbox: Outbox, roster: Roster, texts: AdvocateTexts, org):
        self.queue = queue
        self.outbox = outbox
        self.roster = roster
        self.texts = texts
        self.org = org

    # --- what a survivor's turn asks for -------------------------------------------------------
    def after_turn(self, outcome: Outcome) -> None:
        conv = outcome.conversation
        for effect in outcome.effects:
            if isinstance(effect, RequestAdvocate):
                self.page(conv, urgent=effect.priority is Priority.URGENT)
                self.schedule_escalation(conv)
            elif isinstance(effect, WithdrawRequest):
                self.cancel_escalation(conv)
            elif isinstance(effect, RelayToAdvocate) and conv.advocate:
                key = "relay_danger" if effect.danger else "relay"
                self.to_advocate(conv.advocate, self.texts(key, code=conv.case_code, text=effect.text), "relay", conv)
            elif isinstance(effect, AdvocateNotice):
                self.to_advocate(effect.advocate, self.texts("notice_" + effect.event, code=effect.code),
                                 "notice", conv)

    # --- pages -----------------------------------------------------------------------------------
    def page(self, conv: Conversation, urgent: bool, key: str = "page", wait: str = "") -> int:
        """Page every available advocate (and on-call ones for URGENT): code, priority, language, area only."""
        advocates = self.roster.to_page(urgent)
        self._page(advocates, conv, key, wait)
        return len(advocates)

    def page_supervisors(self, conv: Conversation, wait: str) -> int:
        supervisors = self.roster.supervisors()
        self._page(supervisors, conv, "page_supervisor", wait)
        return len(supervisors)

    def _page(self, advocates: list[Advocate], conv: Conversation, key: str, wait: str) -> None:
        text = self.texts(key, **request_fields(conv), wait=wait)
        for advocate in advocates:
            self.to_advocate(advocate.id, text, "page", conv)

    # --- single messages ---------------------------------------------------------------------------
    def to_survivor(self, conv: Conversation, text: str, kind: str) -> Outbound:
        message = self.outbox.create(kind, "survivor", text, conversation=conv.key, session=conv.session,
                                     advocate=conv.advocate)
        self._enqueue(message)
        return message

    def to_advocate(self, advocate: str, text: str, kind: str, conv: Conversation | None = None) -> Outbound:
        message = self.outbox.create(kind, "advocate", text, advocate=advocate,
                                     conversation=conv.key if conv else None, session=conv.session if conv else 0)
        self._enqueue(message)
        return message

    def _enqueue(self, message: Outbound) -> None:
        from messaging.jobs import send_message

        retry = self.org.send_retry_seconds
        self.queue.enqueue(send_message, message.id, job_id="lantern-send-" + message.id,
                           retry=Retry(max=len(retry), interval=list(retry)), result_ttl=3600,
                           failure_ttl=int(self.org.retention.total_seconds()))

    # --- escalation --------------------------------------------------------------------------------
    def schedule_escalation(self, conv: Conversation, stage: int = 1) -> None:
        from messaging.jobs import escalate

        self.queue.enqueue_in(self.escalation_delay(conv), escalate, conv.key, conv.session, stage,
                              job_id=escalation_job_id(conv, stage))

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


def request_fields(conv: Conversation) -> dict[str, str]:
    """What a page may say of a request (safety rule 3): never a number, never the survivor's words."""
    return {"code": conv.case_code or "????", "priority": conv.priority.value if conv.priority else "NORMAL",
            # A web chat says so: the visitor reads replies in a browser tab and has no number to call.
            "lang": conv.lang + (", web chat" if conv.channel == "web" else ""), "area": conv.area or "area not given"}


def wait_label(conv: Conversation, now: float | None = None) -> str:
    minutes = int(((now or time.time()) - (conv.requested_at or conv.updated_at)) // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"
