"""RQ jobs. Arguments are ids only (RQ keeps failed jobs for a long time); failures log no personal data."""
from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone

import requests
from rq import Queue
from twilio.base.exceptions import TwilioException, TwilioRestException

from bot.advocates import Advocate, AdvocateTexts
from bot.contact_rules import not_sent_text, why_not_send
from bot.conversation import Conversation
from bot.engine import Engine
from config.hours import Hours
from messaging import job_ids
from messaging.delivery_rules import DeliveryRules
from messaging.escalation import Escalation
from messaging.page_fields import ESCALATION_STAGES, wait_label
from messaging.postbox import Postbox
from messaging.redis_back import when_back
from messaging.routing import Router
from messaging.sender import Sender
from messaging.twilio_errors import TwilioError, twilio_error
from store.outbox import Outbound, Outbox
from store.redis_store import RedisStore
from store.reports import ReportCounters
from store.roster import Roster

log = logging.getLogger(__name__)
BATCH_THREADS = 16


class SendRetry(Exception):
    """Twilio answered 5xx or could not be reached: RQ tries again later. The message names no person."""


@dataclass(frozen=True)
class SendJobs:
    """What the send and escalation jobs run with, built once per process (wiring.py)."""

    outbox: Outbox
    roster: Roster
    store: RedisStore
    hours: Hours
    retry_seconds: tuple[int, ...]
    sender: Sender
    postbox: Postbox
    texts: AdvocateTexts
    queue: Queue
    reports: ReportCounters
    rules: DeliveryRules
    router: Router
    escalation: Escalation
    engine: Engine


def send_message(jobs: SendJobs, outbound_id: str) -> str:
    """Send one outbound message, after the safety re-check; returns what became of it."""
    return _send(jobs, jobs.outbox.get(outbound_id))


def send_batch(jobs: SendJobs, outbound_ids: list[str]) -> str:
    """Send the pages of one request at once, each after its own re-check: Twilio takes 100-300 ms a
    message, and ten advocates must not wait ten times that. The records and the roster are read once
    for the batch. One that must be tried again goes on alone."""
    messages = [m for m in jobs.outbox.get_many(outbound_ids) if m is not None]
    roster = {advocate.id: advocate for advocate in jobs.roster.all()}
    if not messages:
        return "already done"
    with ThreadPoolExecutor(max_workers=min(BATCH_THREADS, len(messages))) as pool:
        results = list(pool.map(lambda message: _send_in_batch(jobs, message, roster), messages))
    return ", ".join(f"{results.count(r)} {r}" for r in sorted(set(results)))


def _send_in_batch(jobs: SendJobs, message: Outbound, roster: dict[str, Advocate]) -> str:
    try:
        return _send(jobs, message, roster)
    except SendRetry:
        again = jobs.outbox.get(message.id)
        if again is None:
            return "already done"
        jobs.postbox.retry_alone(again, urgent=again.kind == "page")
        return "retrying"


def _send(jobs: SendJobs, message: Outbound | None, roster: dict[str, Advocate] | None = None) -> str:
    """`roster`: the advocates by id, read once for a batch (else each advocate is read here)."""
    if message is None or message.done:
        return "already done"
    address, conv = _recipient(jobs, message, roster)
    if message.reason == "window" and conv is not None:
        return _held_for_window(jobs, message, conv)
    if address is None:
        return _dropped(jobs, message, conv)
    if conv is not None and jobs.rules.outside_window(message, conv, time.time()):
        return jobs.rules.hold(message, conv)
    try:
        sid = jobs.sender.send(address, message.text, _label(message), template=message.template, ref=message.id)
    except TwilioRestException as exc:
        return _refused(jobs, message, conv, exc)
    except (requests.RequestException, TwilioException):
        return _retry_or_fail(jobs, message, conv, "network")
    # Twilio's first status, which has no callback. Twilio has the message now: a Redis failing over meanwhile
    # is waited out here (for a minute), not left to a rerun of the job, which would send it a second time.
    when_back(lambda: jobs.outbox.mark(message, "queued", twilio_sid=sid), log, "send job", give_up_after=60)
    if message.kind == "checkin":
        jobs.reports.count(["checkin.sent"], time.time())
    return "sent"


def _recipient(jobs: SendJobs, message: Outbound,
               roster: dict[str, Advocate] | None = None) -> tuple[str | None, Conversation | None]:
    """(address, conversation) to send to, or (None, conversation) when it must not go."""
    if message.to == "advocate":  # advocates said yes when they joined the roster: no conversation read
        advocate = roster.get(message.advocate or "") if roster is not None else jobs.roster.get(message.advocate or "")
        if advocate is None:
            message.reason = "advocate removed"
            return None, None
        return advocate.phone, None
    conv = jobs.store.get(message.conversation or "")
    opted_out = jobs.store.is_opted_out(message.conversation or "")
    now = time.time()
    window_open = conv is None or conv.window not in jobs.hours.windows or \
        jobs.hours.in_window(conv.window, datetime.fromtimestamp(now, timezone.utc))
    message.reason = why_not_send(conv, message.kind, message.session, message.advocate, opted_out, now,
                                  window_open) or ""
    if message.reason or conv is None:
        return None, conv
    return conv.address, conv


def _held_for_window(jobs: SendJobs, message: Outbound, conv: Conversation) -> str:
    """Not their safe time yet: the same message goes when the window next opens, re-checked then."""
    opens = jobs.hours.next_window(conv.window or "", datetime.now(timezone.utc))  # "window": it has one
    jobs.outbox.mark(message, "held", "window")
    jobs.queue.enqueue_at(opens, send_message, message.id, job_id=job_ids.send_held(message.id))
    log.info("message held until the survivor's safe time kind=%s", message.kind)
    return "held"


def _dropped(jobs: SendJobs, message: Outbound, conv: Conversation | None) -> str:
    jobs.outbox.mark(message, "dropped", message.reason)
    log.info("message dropped kind=%s reason=%s", message.kind, message.reason)
    if message.to == "survivor" and message.kind == "relay" and message.advocate and conv is not None:
        _tell_advocate(jobs, message, conv, not_sent_text(message.reason))
    return "dropped"


def _refused(jobs: SendJobs, message: Outbound, conv: Conversation | None, exc: TwilioRestException) -> str:
    """Twilio refused the REST call: 5xx is retried; a code is acted on by what it means (twilio_errors.py)."""
    if exc.status >= 500:
        return _retry_or_fail(jobs, message, conv, f"twilio {exc.status}")
    log.warning("message refused by twilio status=%s code=%s kind=%s", exc.status, exc.code, message.kind)
    error = twilio_error(exc.code)
    return jobs.rules.act_on_error(message, conv, error,
                                   lambda _: _retry_or_fail(jobs, message, conv, f"twilio error {error.code}", error))


def _retry_or_fail(jobs: SendJobs, message: Outbound, conv: Conversation | None, why: str,
                   error: TwilioError | None = None) -> str:
    attempt = jobs.outbox.count_attempt(message)  # failed attempts: the one that works is not counted
    if attempt <= len(jobs.retry_seconds):
        log.warning("message send failed, will retry: %s attempt=%s kind=%s", why, attempt, message.kind)
        raise SendRetry(why) from None  # `from None`: the original may quote the number or the text
    log.error("message send failed for good: %s attempts=%s kind=%s", why, attempt, message.kind)
    if error is not None:  # a code that means something to the advocate (rate limit, unreachable)
        return jobs.rules.fail(message, conv, error)
    jobs.outbox.mark(message, "failed", why)
    if message.to == "survivor" and message.advocate and conv is not None:
        _tell_advocate(jobs, message, conv, "send_failed")
    return "failed"


def _tell_advocate(jobs: SendJobs, message: Outbound, conv: Conversation, key: str) -> None:
    if message.advocate:
        jobs.postbox.to_advocate(message.advocate, jobs.texts(key, code=conv.case_code), "notice", conv)


def _label(message: Outbound) -> str:
    code = message.code or "-"
    return f"the survivor on {code}" if message.to == "survivor" else f"advocate {message.advocate} ({code})"


def escalate(jobs: SendJobs, conversation: str, session: int, stage: int) -> str:
    """A request still unclaimed: page everyone again (stage 1), then the supervisors (stage 2)."""
    conv = jobs.store.get(conversation)
    if conv is None or conv.session != session or not conv.has_open_request:
        return "no longer waiting"
    wait = wait_label(conv)
    if stage == 1:
        paged = jobs.router.page(conv, urgent=True, key="page_again", wait=wait)
        if conv.contact_ok:
            holding = jobs.engine.say("escalation_holding", conv.lang, channel=conv.channel)
            jobs.postbox.to_survivor(conv, holding, "holding")
    else:
        supervisors = jobs.roster.supervisors()
        jobs.postbox.page_quietly(supervisors, conv, "page_supervisor", wait)
        paged = len(supervisors)
    if stage < ESCALATION_STAGES:
        jobs.escalation.schedule(conv, stage + 1)
    log.info("escalated conv=%s stage=%s paged=%s", conversation[:12], stage, paged)
    return f"stage {stage}: paged {paged}"
