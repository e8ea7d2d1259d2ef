"""Who a request is paged to, and when: capacity, language first, offer mode, and nobody free.

The choices are bot/capacity.py's (pure); this reads the roster and loads, writes the pages on the turn's own
write and schedules what follows: the language wait, the next offer. Jobs take ids only.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from rq.exceptions import NoSuchJobError
from rq.job import Job

from bot.advocates import Advocate, Role
from bot.capacity import by_language, fewest_first, first_pages, with_room
from bot.conversation import Conversation, Outcome, Priority, RequestAdvocate
from bot.engine import Engine
from config.handoff import HandoffConfig
from messaging import job_ids
from messaging.page_fields import request_fields
from messaging.postbox import Postbox
from messaging.scheduling import enqueue_in
from store.offers import EVERYONE, Offers
from store.redis_store import RedisStore
from store.roster import Roster
from store.turn_write import TurnWrite

log = logging.getLogger(__name__)


class Router:
    def __init__(self, postbox: Postbox, roster: Roster, offers: Offers, handoff: HandoffConfig, store: RedisStore,
                 engine: Engine):
        self.messenger = postbox
        self.roster = roster
        self.offers = offers
        self.handoff = handoff
        self.store = store
        self.engine = engine
        # The roster and loads a turn read before its write (holding_line), for its pages (first_pages): one
        # read a turn, not two. Kept per thread, for that turn's conversation object only, and used once.
        self._turn = threading.local()

    def _roster_now(self, urgent: bool) -> tuple[list[Advocate], dict[str, int]]:
        advocates = self.roster.to_page(urgent)
        return advocates, self.roster.loads(advocates)

    def _roster_of_turn(self, conv: Conversation, urgent: bool) -> tuple[list[Advocate], dict[str, int]]:
        read = getattr(self._turn, "read", None)
        self._turn.read = None
        if read is not None and read[0] is conv and read[1] == urgent:
            return read[2]
        return self._roster_now(urgent)

    def pageable(self, conv: Conversation, urgent: bool) -> list[Advocate]:
        """Available advocates (and on-call ones when `urgent`), less those at capacity unless it is URGENT."""
        advocates = self.roster.to_page(urgent)
        if conv.priority is Priority.URGENT:
            return advocates
        return with_room(advocates, self.roster.loads(advocates), conv.priority)

    def page(self, conv: Conversation, urgent: bool, key: str = "page", wait: str = "",
             write: TurnWrite | None = None) -> int:
        """Page every available advocate (and on-call ones for URGENT): code, priority, language, area only."""
        advocates = self.pageable(conv, urgent)
        self.messenger.page_these(advocates, conv, "", write, key, wait)
        return len(advocates)

    def first_pages(self, conv: Conversation, on_call: bool, write: TurnWrite | None = None) -> int:
        """A new request's pages: URGENT to everyone; else its language first, or one offer at a time."""
        advocates, loads = self._roster_of_turn(conv, on_call)
        free = with_room(advocates, loads, conv.priority)
        if write is not None:
            self.offers.clear(conv.key, pipe=write.pipe)
        if not free:
            if on_call or not conv.after_hours:  # after hours a NORMAL request waits for the shift, as always
                self.none_free(conv, write)
            return 0
        plan = first_pages(free, loads, conv.lang, conv.priority, self.handoff.mode)
        if plan.offer:
            self._offer(conv, plan.now[0], 0, write)
            return 1
        self.messenger.page_these(plan.now, conv, "", write)
        if plan.later:
            enqueue_in(self.messenger.queue, self.handoff.language_wait, language_wait_ended, conv.key,
                       conv.session, conv.requested_at, job_id=_job_id("langwait", conv), write=write)
        return len(plan.now)

    def nobody_free(self, conv: Conversation, request: RequestAdvocate) -> bool:
        """Whether this request finds nobody to page now (all at capacity or off); booked ones wait anyway."""
        on_call = request.priority is Priority.URGENT or (request.after_hours and request.priority is Priority.HIGH)
        if request.booked or (request.after_hours and not on_call):
            return False
        read = self._roster_now(on_call)
        self._turn.read = (conv, on_call, read)  # the same turn's first_pages pages from this read
        advocates, loads = read
        return not (advocates if conv.priority is Priority.URGENT else with_room(advocates, loads, conv.priority))

    def holding_line(self, outcome: Outcome) -> None:
        """Before the turn is written: a request that finds nobody free tells them so, honestly, no time given."""
        conv = outcome.conversation
        request = next((e for e in outcome.effects if isinstance(e, RequestAdvocate)), None)
        if request is None or not conv.contact_ok or conv.state == "quiet":  # can't talk: nothing more said
            return
        if self.nobody_free(conv, request):
            outcome.replies.append(self.engine.say("none_free", conv.lang, channel=conv.channel))

    def none_free(self, conv: Conversation, write=None) -> int:
        """Page the supervisors and the on-call advocates: how many wait, and that nobody is free."""
        waiting = self.store.waiting_count(conv.key)
        people = [a for a in self.roster.all() if a.role is Role.SUPERVISOR or a.on_call]  # one read of the roster
        fields = request_fields(conv)
        text = self.messenger.texts("none_free", count=str(waiting), **fields)
        for advocate in people:
            self.messenger.to_advocate(advocate.id, text, "page", conv, write)
        log.info("nobody free waiting=%s paged=%s", waiting, len(people))
        return len(people)

    def _offer(self, conv: Conversation, advocate: Advocate, n: int, write=None) -> None:
        note = self.messenger.texts("page_note_offer", seconds=str(self.handoff.offer_seconds))
        self.messenger.page_these([advocate], conv, note, write)
        self.offers.add(conv.key, advocate.id, pipe=write.pipe if write is not None else None)
        enqueue_in(self.messenger.queue, timedelta(seconds=self.handoff.offer_seconds), offer_ended, conv.key,
                   conv.session, conv.requested_at, job_id=_job_id("offer", conv, n),
                   write=write)

    def next_offer(self, conv: Conversation) -> str:
        """An offer's time is up: the next who speaks the language (fewest conversations first), else everyone."""
        offered = self.offers.of(conv.key)
        advocates = self.roster.to_page(conv.after_hours and conv.priority is Priority.HIGH)
        loads = self.roster.loads(advocates)
        speakers, _ = by_language(with_room(advocates, loads, conv.priority), conv.lang)
        left = [a for a in fewest_first(speakers, loads) if a.id not in offered]
        if left:
            self._offer(conv, left[0], len(offered), None)
            return f"offered to the next ({len(offered) + 1})"
        self.offers.add(conv.key, EVERYONE)
        return f"paged {self.page(conv, urgent=conv.after_hours and conv.priority is Priority.HIGH)}"

    def claimed(self, conv: Conversation) -> None:
        """Someone took it: the language wait and any offer's timer have nothing left to do."""
        ids = [_job_id("langwait", conv)] + [_job_id("offer", conv, n) for n in range(len(self.offers.of(conv.key)) + 1)]
        for job_id in ids:
            try:
                Job.fetch(job_id, connection=self.messenger.queue.connection,
                          serializer=self.messenger.queue.serializer).delete()
            except NoSuchJobError:
                pass

    def others_after_wait(self, conv: Conversation) -> str:
        """The language wait is over: page the free advocates who don't speak it."""
        on_call = conv.after_hours and conv.priority is Priority.HIGH
        _, others = by_language(self.pageable(conv, on_call), conv.lang)
        if others:
            self.messenger.page_these(others, conv, "")
        return f"paged {len(others)}"


def _job_id(kind: str, conv: Conversation, n: int = 0) -> str:
    return job_ids.routing(kind, conv.key, conv.session, conv.requested_at, n)


@dataclass(frozen=True)
class RoutingJobs:
    """What the routing jobs (an offer's time up, the language wait over) run with, built once per process."""

    store: RedisStore
    router: Router


def _still_waiting(store: RedisStore, conversation: str, session: int, requested_at: float | None):
    """The request a job was scheduled for, if it is still waiting and not URGENT (which paged everyone)."""
    conv = store.get(conversation)
    if conv is None or conv.session != session or not conv.has_open_request or conv.requested_at != requested_at:
        return None
    return None if conv.priority is Priority.URGENT else conv


def offer_ended(jobs: RoutingJobs, conversation: str, session: int, requested_at: float | None) -> str:
    conv = _still_waiting(jobs.store, conversation, session, requested_at)
    return "no longer waiting" if conv is None else jobs.router.next_offer(conv)


def language_wait_ended(jobs: RoutingJobs, conversation: str, session: int, requested_at: float | None) -> str:
    conv = _still_waiting(jobs.store, conversation, session, requested_at)
    return "no longer waiting" if conv is None else jobs.router.others_after_wait(conv)
