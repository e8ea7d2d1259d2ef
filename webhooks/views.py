"""Webhook views: verify, parse, call the service, render TwiML. Never a 5xx to Twilio."""
from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from messaging.delivery import record_status
from webhooks.signature import twilio_signed
from webhooks.twiml import twiml
from webhooks.dependencies import webhook_dependencies

log = logging.getLogger(__name__)
bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
health_bp = Blueprint("health", __name__)


def safety_reply() -> Response:
    """The static safety message (911 and the hotline) that needs nothing but config."""
    return Response(twiml(webhook_dependencies().safety_message), status=200, mimetype="text/xml")


# POST /sms, the inbound message itself, is answered beneath Flask by webhooks/sms_lane.py.


@bp.post("/status")
@twilio_signed
def delivery_status():
    """Twilio's status callback for a message we sent: ranked, kept; what a failure means is acted on."""
    sid, status = request.form.get("MessageSid", ""), request.form.get("MessageStatus", "")
    if request.form.get("CallSid") and not sid:
        return Response(status=204)  # a call to the number: `twilio connect` sets its status callback here too
    if not sid or not status:
        return Response("MessageSid and MessageStatus are required.\n", status=400, mimetype="text/plain")
    record_status(webhook_dependencies().delivery, sid, status.lower(), request.form.get("ErrorCode", ""),
                  request.args.get("o", ""))
    return Response(status=204)


@bp.post("/fallback")
@twilio_signed
def fallback():
    """Twilio's fallback URL: answers without touching Redis."""
    log.warning("fallback webhook used")
    return safety_reply()


@bp.errorhandler(Exception)
def fail_safe(exc: Exception):
    # Whatever broke (Redis down, a lock not had in time, a bug), the survivor gets 911 and the hotline.
    if isinstance(exc, HTTPException) and exc.code and exc.code < 500:
        return Response((exc.description or exc.name) + "\n", status=exc.code, mimetype="text/plain")
    log.error("webhook failed, static safety reply sent: %s", type(exc).__name__, exc_info=True)
    return safety_reply()


@health_bp.get("/healthz")
def healthz():
    deps = webhook_dependencies()
    try:
        deps.redis.ping()
    except Exception as exc:  # reported, not raised: this page is for the platform's health check
        return jsonify(status="unhealthy", redis=type(exc).__name__, store=deps.store_kind), 503
    memory = deps.memory.reading()
    extra = {} if memory is None else {"memory": memory.to_dict()}
    if memory is not None and memory.high:
        extra["warning"] = f"Redis memory is at {memory.to_dict()['percent']}% of maxmemory"
    return jsonify(status="ok", redis="ok", store=deps.store_kind, **extra)

