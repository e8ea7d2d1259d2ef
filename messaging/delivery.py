"""What happens to a message after Lantern decides to send it: WhatsApp's 24-hour window, Twilio's status
callbacks (ranked, never regressing) and its error codes, acted on by messaging/twilio_errors.py's table.

Every message here still goes through send_message, so the safety re-check (opt-out, quiet, can't talk,
consent) stands in front of each send: a held message delivered later, and the reopen template, too.
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Callable

from bot.conversation import Conversation
from bot.whatsapp import window_open
from messaging import job_ids, runtime
from messaging.twilio_errors import Action, TwilioError, twilio_error
from store.outbox import Outbound

log = logging.getLogger(__name__)
HELD = "whatsapp window"  # the reason a held message carries, kept after it is sent at last
FAILURE_STATUSES = frozenset({"failed", "undelivered"})


class DeliveryNotRecorded(Exception):
    """A status callback came before the send job recorded its SID: RQ looks again shortly."""


# --- the window ------------------------------------------------------------------------------------
def outside_window(lantern, message: Outbound, conv: Conversation | None, now: float) -> bool:
    """A free-form message to a WhatsApp survivor more than 24 h after their last message."""
    if message.to != "survivor" or conv is None or message.template or conv.channel != "whatsapp":
        return False
    return not window_open(conv, now, lantern.whatsapp.closed_at(conv.key))


def hold(lantern, message: Outbound, conv: Conversation) -> str:
    """Keep it until they write; the first one held sends the reopen template (with consent) and tells
    the advocate what became of it."""
    if message.kind == "closing":
        # A goodbye arriving after they write again would read as the end of their new conversation.
        lantern.outbox.mark(message, "dropped", HELD)
        return "dropped"
    first = lantern.whatsapp.hold(conv.key, message.id)
    message.was_held = True
    lantern.outbox.mark(message, "held", HELD)
    log.info("message held until they write (whatsapp window) kind=%s first=%s", message.kind, first)
    if first:
        _reopen(lantern, message, conv)
    return "held"


def _reopen(lantern, message: Outbound, conv: Conversation) -> None:
    template = lantern.settings.content.whatsapp.reopen_template(conv.lang)
    if not template:
        key, event = "held_no_template", "WhatsApp window closed: held until they write (no reopen template set)"
    elif not conv.contact_ok:
        key, event = "held_no_consent", "WhatsApp window closed: held until they write (no yes to texting first)"
    elif lantern.whatsapp.claim_reopen(conv.key, conv.last_inbound_at):
        lantern.messenger.to_survivor(conv, "", "reopen", template=template)
        key, event = "held_reopen", "WhatsApp window closed: held until they write; the reopen message was sent"
    else:
        return  # this closed window already had its reopen message
    lantern.store.append_log(conv.key, time.time(), "event", event)
    _tell(lantern, message, conv, key)


def deliver_held(conversation: str) -> str:
    """They wrote: the messages held for them go now, one after another in the order they were written."""
    lantern = runtime.current()
    from messaging.jobs import SendRetry, send_message

    conv, sent, advocate = lantern.store.get(conversation), 0, None
    while (outbound_id := lantern.whatsapp.next_held(conversation)) is not None:
        message = lantern.outbox.get(outbound_id)
        if message is None or conv is None or message.created_at < conv.created_at:
            continue  # expired, or written before a DELETE erased that conversation
        try:
            outcome = send_message(outbound_id)
        except SendRetry:
            lantern.whatsapp.put_back(conversation, outbound_id)
            raise
        if outcome == "held":
            break  # closed again already: it is back on the list
        sent += outcome == "sent"
        advocate = advocate or message.advocate
    if sent and advocate and conv is not None:
        lantern.messenger.to_advocate(advocate, lantern.texts("held_delivered", code=conv.case_code,
                                                              count=str(sent)), "notice", conv)
    return f"sent {sent}"


def release_when_they_write(queue, windows, conv: Conversation) -> None:
    """After a WhatsApp survivor's turn: one job sends what was held, in order."""
    if conv.channel == "whatsapp" and windows.held_count(conv.key):
        queue.enqueue(deliver_held, conv.key, job_id=job_ids.deliver_held(conv.key, int(time.time() * 1000)),
                      result_ttl=600)


# --- status callbacks --------------------------------------------------------------------------------
def record_status(lantern, twilio_sid: str, status: str, error_code: str, outbound_id: str = "") -> str:
    """Keep a status callback, ranked per message; a failure or a read the advocate must hear of goes to a job."""
    message = lantern.outbox.get(outbound_id) if outbound_id else lantern.outbox.by_twilio_sid(twilio_sid)
    if message is None:
        return "unknown message"
    if message.conversation and not lantern.deliveries.record(message.conversation, twilio_sid, status, error_code):
        return "not newer"  # a late "sent" after "delivered", or the same callback twice
    if status in FAILURE_STATUSES:
        lantern.queue.enqueue(delivery_failed, message.id, twilio_sid, error_code or "0", result_ttl=600,
                              retry=_retry(), job_id=job_ids.delivery_failed(message.id, twilio_sid))
    elif status == "read" and message.was_held and message.kind == "relay" and message.advocate:
        conv = lantern.store.get(message.conversation)
        if conv is not None:
            lantern.messenger.to_advocate(message.advocate, lantern.texts("read_after_hold", code=conv.case_code),
                                          "notice", conv)
    return status


def delivery_failed(outbound_id: str, twilio_sid: str, error_code: str) -> str:
    """Twilio reported the message failed or undelivered: act on the code (retry, hold, tell, opt out)."""
    lantern = runtime.current()
    message = lantern.outbox.get(outbound_id)
    if message is None or twilio_sid in message.previous_sids:
        return "stale"
    if not message.twilio_sid and message.status not in ("held", "dropped", "opted_out", "failed"):
        raise DeliveryNotRecorded("the send job has not recorded this message's SID yet")
    if message.twilio_sid != twilio_sid:
        return "stale"
    conv = lantern.store.get(message.conversation) if message.to == "survivor" and message.conversation else None
    return act_on_error(lantern, message, conv, twilio_error(error_code),
                        lambda why: _resend_later(lantern, message, conv, why))


def act_on_error(lantern, message: Outbound, conv: Conversation | None, error: TwilioError,
                 retry: Callable[[TwilioError], str]) -> str:
    """The one place an error code becomes an action; `retry` is how this caller tries again."""
    log.info("twilio error code=%s action=%s kind=%s", error.code, error.action.value, message.kind)
    if error.action is Action.OPTED_OUT:
        return _opted_out(lantern, message, conv)
    if error.action is Action.WINDOW and conv is not None and conv.channel == "whatsapp":
        lantern.whatsapp.mark_closed(conv.key, time.time())
        lantern.outbox.send_again(message, "new", HELD)
        return hold(lantern, message, conv)
    if error.action is Action.RETRY:
        return retry(error)
    return fail(lantern, message, conv, error)


def fail(lantern, message: Outbound, conv: Conversation | None, error: TwilioError) -> str:
    lantern.outbox.mark(message, "failed", error.meaning)
    _tell(lantern, message, conv, error.advocate_text, error=str(error.code or "unknown"))
    return "failed"


def _opted_out(lantern, message: Outbound, conv: Conversation | None) -> str:
    lantern.outbox.mark(message, "opted_out", "21610")
    if message.to == "survivor" and message.conversation:
        lantern.deliveries.record_opt_out(message.conversation)
        if conv is not None:
            lantern.store.withdraw(message.conversation, "opted out: Twilio refused a message (21610)", time.time())
            _tell(lantern, message, conv, "notice_stopped")
    return "opted out"


def _resend_later(lantern, message: Outbound, conv: Conversation | None, error: TwilioError) -> str:
    """A callback said it failed for a reason that often passes (30003, 63018): send it anew, backing off."""
    from messaging.jobs import send_message

    backoff = lantern.settings.content.org.send_retry_seconds
    attempt = lantern.outbox.count_attempt(message)
    if attempt > len(backoff):
        return fail(lantern, message, conv, error)
    lantern.outbox.send_again(message, "retrying", error.meaning)
    job_id = job_ids.send_again(message.id, attempt)
    if backoff[attempt - 1]:
        lantern.queue.enqueue_in(timedelta(seconds=backoff[attempt - 1]), send_message, message.id, job_id=job_id)
    else:
        lantern.queue.enqueue(send_message, message.id, job_id=job_id)
    return "retrying"


def _tell(lantern, message: Outbound, conv: Conversation | None, key: str, **values: str) -> None:
    """The advocate who wrote it (or holds the conversation) hears what became of a message to a survivor."""
    advocate = message.advocate or (conv.advocate if conv is not None else None)
    if message.to != "survivor" or not advocate:
        return
    code = message.code or (conv.case_code if conv is not None else None) or "-"
    lantern.messenger.to_advocate(advocate, lantern.texts(key, code=code, **values), "notice", conv)


def _retry():
    from rq import Retry

    return Retry(max=3, interval=[2, 10, 30])
