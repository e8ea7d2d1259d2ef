"""Messages Lantern decides to send: one outbox record and one RQ job (ids only) per message, or per batch.

The send jobs (messaging/jobs.py) are handed in by the composition root, so the jobs can take this box
as a collaborator without this module importing them back.
"""
from __future__ import annotations

from typing import Callable

from redis.client import Pipeline
from rq import Queue, Retry

from bot.advocates import Advocate, AdvocateTexts
from bot.conversation import Conversation, Priority
from config.content import Org
from messaging import job_ids
from messaging.page_fields import request_fields
from store.outbox import Outbound, Outbox
from store.stats import RequestStats
from store.turn_write import TurnWrite

# A finished send keeps its (id-only) job briefly: deleting it at once costs RQ more than keeping it.
RESULT_TTL = 600


class Postbox:
    def __init__(self, queue: Queue, urgent_queue: Queue, outbox: Outbox, texts: AdvocateTexts, org: Org,
                 minor_note: str, stats: RequestStats, send_one: Callable[..., str], send_batch: Callable[..., str]):
        """`send_one`, `send_batch`: the RQ job functions that send one message by id, or the pages of one
        request at once."""
        self.queue = queue
        self.urgent_queue = urgent_queue
        self.outbox = outbox
        self.texts = texts
        self.org = org
        self.minor_note = minor_note
        self.stats = stats
        self.send_one = send_one
        self.send_batch = send_batch

    def page_these(self, advocates: list[Advocate], conv: Conversation, extra_note: str,
                   write: TurnWrite | None = None, key: str = "page", wait: str = "") -> None:
        """Page the named advocates (code, priority, language, area only), counted for the night summary."""
        self.page_quietly(advocates, conv, key, wait, write, extra_note)
        self.stats.paged(conv.case_code or "????", len(advocates), pipe=_pipe(write))

    def page_quietly(self, advocates: list[Advocate], conv: Conversation, key: str, wait: str,
                     write: TurnWrite | None = None, extra_note: str = "") -> None:
        """Page them without counting the page (the supervisors' escalation page)."""
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
                                            pipe=_pipe(write), conversation=conv.key,
                                            session=conv.session, code=conv.case_code)
            self.enqueue(pages, urgent=conv.priority is Priority.URGENT, write=write)

    def to_survivor(self, conv: Conversation, text: str, kind: str, write: TurnWrite | None = None,
                    template: str = "", message_id: str | None = None) -> Outbound:
        message = self.outbox.create(kind, "survivor", text, message_id, pipe=_pipe(write),
                                     conversation=conv.key, session=conv.session, advocate=conv.advocate,
                                     code=conv.case_code, template=template)
        self.enqueue([message], urgent=False, write=write)
        return message

    def to_advocate(self, advocate: str, text: str, kind: str, conv: Conversation | None = None,
                    write: TurnWrite | None = None) -> Outbound:
        message = self.outbox.create(kind, "advocate", text, pipe=_pipe(write), advocate=advocate,
                                     conversation=conv.key if conv else None, session=conv.session if conv else 0,
                                     code=conv.case_code if conv else None)
        # Pages for URGENT requests and danger alerts jump the line: the worker takes that queue first.
        self.enqueue([message], urgent=conv is not None and conv.priority is Priority.URGENT, write=write)
        return message

    def enqueue(self, messages: list[Outbound], urgent: bool, write: TurnWrite | None = None) -> None:
        """One RQ job (ids its only arguments) for one message, or for all the pages of one request, which
        it sends at once: ten advocates are paged in the time of one Twilio call, not of ten."""
        retry, queue = self.org.send_retry_seconds, self.urgent_queue if urgent else self.queue
        failure_ttl = int(self.org.retention.total_seconds())
        if len(messages) == 1:
            job = Queue.prepare_data(self.send_one, (messages[0].id,), job_id=job_ids.send(messages[0].id),
                                     result_ttl=RESULT_TTL, retry=Retry(max=len(retry), interval=list(retry)),
                                     failure_ttl=failure_ttl)
        else:  # each message of a batch that must be tried again gets a job of its own, with these retries
            job = Queue.prepare_data(self.send_batch, ([m.id for m in messages],),
                                     job_id=job_ids.batch(messages[0].id), result_ttl=RESULT_TTL,
                                     failure_ttl=failure_ttl)
        if write is None:
            queue.enqueue_many([job])
        elif queue.is_async:
            queue.enqueue_many([job], pipeline=_pipe(write))
        else:  # inline jobs run as they are enqueued: only once what they send is written
            write.after.append(lambda: queue.enqueue_many([job]))

    def retry_alone(self, message: Outbound, urgent: bool) -> None:
        """A message of a batch that failed for now: its own job, with the usual retries."""
        self.enqueue([message], urgent)


def _pipe(write: TurnWrite | None) -> Pipeline | None:
    return write.pipe if write is not None else None
