"""A request nobody claims is paged again, then to the supervisors: the escalation jobs, scheduled and undone.

The job function (messaging/jobs.py's `escalate`) is handed in by the composition root, so the job can take
this scheduler as a collaborator without this module importing it back.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Callable

from rq import Queue

from bot.conversation import Conversation, Priority
from config.content import Org
from messaging import job_ids
from messaging.page_fields import ESCALATION_STAGES
from messaging.scheduling import enqueue_in, unschedule
from store.turn_write import TurnWrite


class Escalation:
    def __init__(self, queue: Queue, org: Org, escalate: Callable[..., str]):
        self.queue = queue
        self.org = org
        self.escalate = escalate

    def schedule(self, conv: Conversation, stage: int = 1, write: TurnWrite | None = None) -> None:
        enqueue_in(self.queue, self.delay(conv), self.escalate, conv.key, conv.session, stage,
                   job_id=job_ids.escalation(conv.key, conv.session, stage), write=write)

    def cancel(self, conv: Conversation, write: TurnWrite | None = None) -> None:
        """No more escalation for this request: on the turn's write when there is one."""
        pipe = write.pipe if write is not None else self.queue.connection.pipeline(transaction=False)
        unschedule(self.queue, [job_ids.escalation(conv.key, conv.session, stage)
                                for stage in range(1, ESCALATION_STAGES + 1)], pipe)
        if write is None:
            pipe.execute()

    def delay(self, conv: Conversation) -> timedelta:
        return self.org.escalate_urgent if conv.priority is Priority.URGENT else self.org.escalate_other
