"""Every RQ job id of the line, in one place (as store/keys.py holds the Redis keys).

One id per thing that must happen once: enqueueing the same id twice is harmless, and a job that must not run
after all (a claim, a withdrawal) is found again by its id. Arguments are ids only, never a number or words.
"""
from __future__ import annotations

PREFIX = "lantern-"
QUEUE_NAME = "lantern"
URGENT_QUEUE_NAME = "lantern-urgent"  # listed first on the worker's command line: taken first


def send(outbound_id: str) -> str:
    return f"{PREFIX}send-{outbound_id}"


def send_held(outbound_id: str) -> str:
    """Held for the survivor's safe time (their window), sent when it opens."""
    return f"{PREFIX}send-{outbound_id}-held"


def send_again(outbound_id: str, attempt: int) -> str:
    """Sent anew after a status callback said it failed for a reason that often passes."""
    return f"{PREFIX}send-{outbound_id}-r{attempt}"


def batch(first_outbound_id: str) -> str:
    return f"{PREFIX}batch-{first_outbound_id}"


def escalation(conversation: str, session: int, stage: int) -> str:
    return f"{PREFIX}escalate-{conversation}-{session}-{stage}"


def window_reminder(conversation: str, session: int) -> str:
    return f"{PREFIX}window-{conversation}-{session}"


def routing(kind: str, conversation: str, session: int, requested_at: float | None, n: int = 0) -> str:
    """The language wait ("langwait") and each offer ("offer", n) of one request."""
    return f"{PREFIX}{kind}-{conversation}-{session}-{int(requested_at or 0)}-{n}"


def card_first(conversation: str, session: int) -> str:
    return f"{PREFIX}cardfirst-{conversation}-{session}"


def checkin(conversation: str, checkin_id: str) -> str:
    return f"{PREFIX}checkin-{conversation}-{checkin_id}"


def checkin_held(conversation: str, checkin_id: str) -> str:
    return f"{PREFIX}checkin-{conversation}-{checkin_id}-held"


def unclaimed(conversation: str, session: int, requested_at: float | None) -> str:
    return f"{PREFIX}unclaimed-{conversation}-{session}-{int(requested_at or 0)}"


def burst_page(window: int) -> str:
    return f"{PREFIX}burst-{window}"


def shift_change(at_timestamp: float) -> str:
    return f"{PREFIX}shift-{int(at_timestamp)}"


def deliver_held(conversation: str, at_ms: int) -> str:
    return f"{PREFIX}held-{conversation}-{at_ms}"


def delivery_failed(outbound_id: str, twilio_sid: str) -> str:
    return f"{PREFIX}failed-{outbound_id}-{twilio_sid}"


def idle_check(conversation: str, session: int, at: float) -> str:
    return f"{PREFIX}webidle-{conversation}-{session}-{int(at)}"
