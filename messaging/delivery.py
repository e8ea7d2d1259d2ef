"""What happens to a message after it is sent: the messages held for WhatsApp's 24-hour window go when they
write, and Twilio's status callbacks (ranked, never regressing) act on its error codes through
messaging/delivery_rules.py.

Every message here still goes through send_message, so the safety re-check (opt-out, quiet, can't talk,
consent) stands in front of each send: a held message delivered later, and the reopen template, too.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from rq import Queue, Retry

from bot.advocates import AdvocateTexts
from bot.conversation import Conversation
from messaging import job_ids
from messaging.delivery_rules import HELD, DeliveryRules
from messaging.jobs import SendJobs, SendRetry, send_message
from messaging.postbox import Postbox
from messaging.twilio_errors import TwilioError, twilio_error
from store.delivery import DeliveryStates
from store.outbox import Outbound, Outbox
from store.redis_store import RedisStore
from store.whatsapp_window import WhatsAppWindows

log = logging.getLogger(__name__)
FAILURE_STATUSES = frozenset({"failed", "undelivered"})

__all__ = ["HELD", "DeliveryJobs", "DeliveryNotRecorded", "deliver_held", "delivery_failed", "record_status",
           "release_when_they_write"]


class DeliveryNotRecorded(Exception):
    """A status callback came before the send job recorded its SID: RQ looks again shortly."""


@dataclass(frozen=True)
class DeliveryJobs:
    """What the delivery jobs and the status callback run with, built once per process (wiring.py)."""

    store: RedisStore
    windows: WhatsAppWindows
    outbox: Outbox
    deliveries: DeliveryStates
    queue: Queue
    postbox: Postbox
    texts: AdvocateTexts
    rules: DeliveryRules
    send: SendJobs
    retry_seconds: tuple[int, ...]


# --- the window ------------------------------------------------------------------------------------
def deliver_held(jobs: DeliveryJobs, conversation: str) -> str:
    """They wrote: the messages held for them go now, one after another in the order they were written."""
    conv, sent, advocate = jobs.store.get(conversation), 0, None
    while (outbound_id := jobs.windows.next_held(conversation)) is not None:
        message = jobs.outbox.get(outbound_id)
        if message is None or conv is None or message.created_at < conv.created_at:
            continue  # expired, or written before a DELETE erased that conversation
        try:
            outcome = send_message(jobs.send, outbound_id)
        except SendRetry:
            jobs.windows.put_back(conversation, outbound_id)
            raise
        if outcome == "held":
            break  # closed again already: it is back on the list
        sent += outcome == "sent"
        advocate = advocate or message.advocate
    if sent and advocate and conv is not None:
        jobs.postbox.to_advocate(advocate, jobs.texts("held_delivered", code=conv.case_code, count=str(sent)),
                                 "notice", conv)
    return f"sent {sent}"


def release_when_they_write(queue: Queue, windows: WhatsAppWindows, conv: Conversation) -> None:
    """After a WhatsApp survivor's turn: one job sends what was held, in order."""
    if conv.channel == "whatsapp" and windows.held_count(conv.key):
        queue.enqueue(deliver_held, conv.key, job_id=job_ids.deliver_held(conv.key, int(time.time() * 1000)),
                      result_ttl=600)


# --- status callbacks --------------------------------------------------------------------------------
def record_status(jobs: DeliveryJobs, twilio_sid: str, status: str, error_code: str, outbound_id: str = "") -> str:
    """Keep a status callback, ranked per message; a failure or a read the advocate must hear of goes to a job."""
    message = jobs.outbox.get(outbound_id) if outbound_id else jobs.outbox.by_twilio_sid(twilio_sid)
    if message is None:
        return "unknown message"
    if message.conversation and not jobs.deliveries.record(message.conversation, twilio_sid, status, error_code):
        return "not newer"  # a late "sent" after "delivered", or the same callback twice
    if status in FAILURE_STATUSES:
        jobs.queue.enqueue(delivery_failed, message.id, twilio_sid, error_code or "0", result_ttl=600,
                           retry=Retry(max=3, interval=[2, 10, 30]),
                           job_id=job_ids.delivery_failed(message.id, twilio_sid))
    elif status == "read" and message.was_held and message.kind == "relay" and message.advocate:
        conv = jobs.store.get(message.conversation or "")
        if conv is not None:
            jobs.postbox.to_advocate(message.advocate, jobs.texts("read_after_hold", code=conv.case_code),
                                     "notice", conv)
    return status


def delivery_failed(jobs: DeliveryJobs, outbound_id: str, twilio_sid: str, error_code: str) -> str:
    """Twilio reported the message failed or undelivered: act on the code (retry, hold, tell, opt out)."""
    message = jobs.outbox.get(outbound_id)
    if message is None or twilio_sid in message.previous_sids:
        return "stale"
    if not message.twilio_sid and message.status not in ("held", "dropped", "opted_out", "failed"):
        raise DeliveryNotRecorded("the send job has not recorded this message's SID yet")
    if message.twilio_sid != twilio_sid:
        return "stale"
    conv = jobs.store.get(message.conversation) if message.to == "survivor" and message.conversation else None
    return jobs.rules.act_on_error(message, conv, twilio_error(error_code),
                                   lambda error: _resend_later(jobs, message, conv, error))


def _resend_later(jobs: DeliveryJobs, message: Outbound, conv: Conversation | None, error: TwilioError) -> str:
    """A callback said it failed for a reason that often passes (30003, 63018): send it anew, backing off."""
    backoff = jobs.retry_seconds
    attempt = jobs.outbox.count_attempt(message)
    if attempt > len(backoff):
        return jobs.rules.fail(message, conv, error)
    jobs.outbox.send_again(message, "retrying", error.meaning)
    job_id = job_ids.send_again(message.id, attempt)
    if backoff[attempt - 1]:
        jobs.queue.enqueue_in(timedelta(seconds=backoff[attempt - 1]), send_message, message.id, job_id=job_id)
    else:
        jobs.queue.enqueue(send_message, message.id, job_id=job_id)
    return "retrying"
