"""RQ jobs. Arguments are ids only (RQ keeps failed jobs for a long time); failures log no personal data."""
from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException

from bot.contact_rules import not_sent_text, why_not_send
from messaging import delivery, job_ids, runtime
from messaging.messenger import ESCALATION_STAGES, wait_label
from messaging.twilio_errors import twilio_error
from store.outbox import Outbound

log = logging.getLogger(__name__)
BATCH_THREADS = 16


class SendRetry(Exception):
    """Twilio answered 5xx or could not be reached: RQ tries again later. The message names no person."""


def send_message(outbound_id: str) -> str:
    """Send one outbound message, after the safety re-check; returns what became of it."""
    lantern = runtime.current()
    return _send(lantern, lantern.outbox.get(outbound_id))


def send_batch(outbound_ids: list[str]) -> str:
    """Send the pages of one request at once, each after its own re-check: Twilio takes 100-300 ms a
    message, and ten advocates must not wait ten times that. The records and the roster are read once
    for the batch. One that must be tried again goes on alone."""
    lantern = runtime.current()
    messages = [m for m in lantern.outbox.get_many(outbound_ids) if m is not None]
    roster = {advocate.id: advocate for advocate in lantern.roster.all()}
    if not messages:
        return "already done"
    with ThreadPoolExecutor(max_workers=min(BATCH_THREADS, len(messages))) as pool:
        results = list(pool.map(lambda message: _send_in_batch(lantern, message, roster), messages))
    return ", ".join(f"{results.count(r)} {r}" for r in sorted(set(results)))


def _send_in_batch(lantern, message: Outbound, roster: dict) -> str:
    try:
        return _send(lantern, message, roster)
    except SendRetry:
        message = lantern.outbox.get(message.id)
        lantern.messenger.retry_alone(message, urgent=message.kind == "page")
        return "retrying"


def _send(lantern, message: Outbound | None, roster: dict | None = None) -> str:
    """`roster`: the advocates by id, read once for a batch (else each advocate is read here)."""
    if message is None or message.done:
        return "already done"
    address, conv = _recipient(lantern, message, roster)
    if message.reason == "window":
        return _held_for_window(lantern, message, conv)
    if address is None:
        return _dropped(lantern, message, conv)
    if delivery.outside_window(lantern, message, conv, time.time()):
        return delivery.hold(lantern, message, conv)
    try:
        sid = lantern.sender.send(address, message.text, _label(message), template=message.template, ref=message.id)
    except TwilioRestException as exc:
        return _refused(lantern, message, conv, exc)
    except (requests.RequestException, TwilioException):
        return _retry_or_fail(lantern, message, conv, "network")
    lantern.outbox.mark(message, "queued", twilio_sid=sid)  # Twilio's first status, which has no callback
    if message.kind == "checkin" and lantern.reports is not None:
        lantern.reports.count(["checkin.sent"], time.time())
    return "sent"


def _recipient(lantern, message: Outbound, roster: dict | None = None):
    """(address, conversation) to send to, or (None, conversation) when it must not go."""
    if message.to == "advocate":  # advocates said yes when they joined the roster: no conversation read
        advocate = roster.get(message.advocate) if roster is not None else lantern.roster.get(message.advocate)
        if advocate is None:
            message.reason = "advocate removed"
            return None, None
        return advocate.phone, None
    conv = lantern.store.get(message.conversation)
    opted_out = lantern.store.is_opted_out(message.conversation)
    now = time.time()
    window_open = conv is None or conv.window not in lantern.settings.content.hours.windows or \
        lantern.settings.content.hours.in_window(conv.window, datetime.fromtimestamp(now, timezone.utc))
    message.reason = why_not_send(conv, message.kind, message.session, message.advocate, opted_out, now,
                                  window_open) or ""
    return (None, conv) if message.reason else (conv.address, conv)


def _held_for_window(lantern, message: Outbound, conv) -> str:
    """Not their safe time yet: the same message goes when the window next opens, re-checked then."""
    opens = lantern.settings.content.hours.next_window(conv.window, datetime.now(timezone.utc))
    lantern.outbox.mark(message, "held", "window")
    lantern.queue.enqueue_at(opens, send_message, message.id, job_id=job_ids.send_held(message.id))
    log.info("message held until the survivor's safe time kind=%s", message.kind)
    return "held"


def _dropped(lantern, message: Outbound, conv) -> str:
    lantern.outbox.mark(message, "dropped", message.reason)
    log.info("message dropped kind=%s reason=%s", message.kind, message.reason)
    if message.to == "survivor" and message.kind == "relay" and message.advocate and conv is not None:
        _tell_advocate(lantern, message, conv, not_sent_text(message.reason))
    return "dropped"


def _refused(lantern, message: Outbound, conv, exc: TwilioRestException) -> str:
    """Twilio refused the REST call: 5xx is retried; a code is acted on by what it means (twilio_errors.py)."""
    if exc.status >= 500:
        return _retry_or_fail(lantern, message, conv, f"twilio {exc.status}")
    log.warning("message refused by twilio status=%s code=%s kind=%s", exc.status, exc.code, message.kind)
    error = twilio_error(exc.code)
    return delivery.act_on_error(lantern, message, conv, error,
                                 lambda _: _retry_or_fail(lantern, message, conv, f"twilio error {error.code}", error))


def _retry_or_fail(lantern, message: Outbound, conv, why: str, error=None) -> str:
    attempt = lantern.outbox.count_attempt(message)  # failed attempts: the one that works is not counted
    if attempt <= len(lantern.settings.content.org.send_retry_seconds):
        log.warning("message send failed, will retry: %s attempt=%s kind=%s", why, attempt, message.kind)
        raise SendRetry(why) from None  # `from None`: the original may quote the number or the text
    log.error("message send failed for good: %s attempts=%s kind=%s", why, attempt, message.kind)
    if error is not None:  # a code that means something to the advocate (rate limit, unreachable)
        return delivery.fail(lantern, message, conv, error)
    lantern.outbox.mark(message, "failed", why)
    if message.to == "survivor" and message.advocate and conv is not None:
        _tell_advocate(lantern, message, conv, "send_failed")
    return "failed"


def _tell_advocate(lantern, message: Outbound, conv, key: str, **values) -> None:
    lantern.messenger.to_advocate(message.advocate, lantern.texts(key, code=conv.case_code, **values), "notice", conv)


def _label(message: Outbound) -> str:
    code = message.code or "-"
    return f"the survivor on {code}" if message.to == "survivor" else f"advocate {message.advocate} ({code})"


def escalate(conversation: str, session: int, stage: int) -> str:
    """A request still unclaimed: page everyone again (stage 1), then the supervisors (stage 2)."""
    lantern = runtime.current()
    conv = lantern.store.get(conversation)
    if conv is None or conv.session != session or not conv.has_open_request:
        return "no longer waiting"
    messenger, wait = lantern.messenger, wait_label(conv)
    if stage == 1:
        paged = messenger.page(conv, urgent=True, key="page_again", wait=wait)
        if conv.contact_ok:
            holding = lantern.engine.say("escalation_holding", conv.lang, channel=conv.channel)
            messenger.to_survivor(conv, holding, "holding")
    else:
        paged = messenger.page_supervisors(conv, wait)
    if stage < ESCALATION_STAGES:
        messenger.schedule_escalation(conv, stage + 1)
    log.info("escalated conv=%s stage=%s paged=%s", conversation[:12], stage, paged)
    return f"stage {stage}: paged {paged}"
