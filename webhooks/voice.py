"""Calls to the hotline number: 911 and "text us" in English and Spanish, then a masked forward to an advocate.

The <Dial>'s caller id is the hotline number, so no advocate's number is ever shown to the caller; each
advocate hears a whisper and must press 1, so a voicemail box never takes the call. Nothing is recorded: no
voicemail, no recording, no transcription. A call nobody took goes in the queue; nobody texts them first.
Whatever breaks, the caller still hears 911 and the text line, with HTTP 200.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from functools import lru_cache

from flask import Blueprint, Response, request
from twilio.twiml.voice_response import Gather, VoiceResponse
from werkzeug.exceptions import HTTPException

from bot.calls import LANGUAGES, RING_SECONDS, VoiceLines, to_ring, was_missed
from bot.engine import FLOWS_DIR
from messaging.calls import MissedCalls
from webhooks.signature import twilio_signed
from webhooks.dependencies import webhook_dependencies

log = logging.getLogger(__name__)
# Its own blueprint for its own fail-safe: a call gets spoken TwiML, never a message.
voice_bp = Blueprint("voice", __name__, url_prefix="/webhooks/voice")
WHISPER_SECONDS = 10


@lru_cache(maxsize=4)
def _lines(emergency: str) -> VoiceLines:
    return VoiceLines.load(FLOWS_DIR / "voice.yaml", emergency)


def lines() -> VoiceLines:
    return _lines(webhook_dependencies().settings.content.org.emergency_number)


def twiml(response: VoiceResponse) -> Response:
    return Response(str(response), status=200, mimetype="text/xml")


def say_both(response: VoiceResponse, per_lang: dict[str, str]) -> None:
    for lang, voice_language in LANGUAGES:
        response.say(per_lang[lang], language=voice_language)


def base_url() -> str:
    return webhook_dependencies().settings.public_base_url + "/webhooks/voice"


@voice_bp.post("")
@twilio_signed
def inbound_call():
    """A call to the hotline: the safety lines, then ring whoever is on (on call after hours) for 30 s."""
    deps, now = webhook_dependencies(), time.time()
    staffed = deps.settings.content.hours.is_staffed(datetime.fromtimestamp(now, timezone.utc))
    advocates = deps.roster.all()
    people = to_ring(advocates, deps.roster.loads(advocates), staffed)
    response = VoiceResponse()
    say_both(response, lines().safety)
    if not people:
        log.info("call with nobody to ring staffed=%s", staffed)
        _missed(deps.missed_calls, now, staffed)
        say_both(response, lines().text_us)
        response.hangup()
        return twiml(response)
    say_both(response, lines().connecting)
    dial = response.dial(caller_id=deps.settings.twilio_number, timeout=RING_SECONDS, action=base_url() + "/done",
                         method="POST", record="do-not-record")
    for advocate in people:
        dial.number(advocate.phone, url=base_url() + "/whisper", method="POST")
    log.info("call forwarded rung=%s staffed=%s", len(people), staffed)
    return twiml(response)


@voice_bp.post("/whisper")
@twilio_signed
def whisper():
    """What the advocate hears when they pick up: press 1 to take it; anything else (a voicemail box) hangs up."""
    response = VoiceResponse()
    gather = Gather(num_digits=1, timeout=WHISPER_SECONDS, action=base_url() + "/whisper/answer", method="POST")
    gather.say(lines().whisper, language="en-US")
    response.append(gather)
    response.hangup()
    return twiml(response)


@voice_bp.post("/whisper/answer")
@twilio_signed
def whisper_answer():
    response = VoiceResponse()
    if request.form.get("Digits", "") != "1":
        response.hangup()
    return twiml(response)  # empty: the call is put through


@voice_bp.post("/done")
@twilio_signed
def dial_done():
    """The <Dial> ended: taken, or nobody took it within 30 s: the text-us line again, then the call ends."""
    response = VoiceResponse()
    status = request.form.get("DialCallStatus", "")
    if was_missed(status):
        deps, now = webhook_dependencies(), time.time()
        staffed = deps.settings.content.hours.is_staffed(datetime.fromtimestamp(now, timezone.utc))
        log.info("call not taken status=%s", status)
        _missed(deps.missed_calls, now, staffed)
        say_both(response, lines().text_us)
    response.hangup()
    return twiml(response)


def _missed(missed_calls: MissedCalls, now: float, staffed: bool) -> None:
    caller = request.form.get("From", "")
    if not caller.startswith("+") or not caller[1:].isdigit():  # withheld or anonymous: no one to queue
        return
    try:
        missed_calls.record(caller, now, staffed)
    except Exception:  # the caller still hears the lines; the error names no one
        log.error("missed call not queued", exc_info=True)


@voice_bp.post("/fallback")
@twilio_signed
def fallback():
    """Twilio's fallback for calls: the safety lines and the text line, touching nothing else."""
    log.warning("voice fallback used")
    response = VoiceResponse()
    say_both(response, lines().safety)
    say_both(response, lines().text_us)
    response.hangup()
    return twiml(response)


@voice_bp.errorhandler(Exception)
def fail_safe(exc: Exception):
    if isinstance(exc, HTTPException) and exc.code and exc.code < 500:
        return Response((exc.description or exc.name) + "\n", status=exc.code, mimetype="text/plain")
    log.error("voice webhook failed, safety lines sent: %s", type(exc).__name__, exc_info=True)
    response = VoiceResponse()
    emergency = webhook_dependencies().settings.content.org.emergency_number
    say_both(response, _lines(emergency).safety)
    response.hangup()
    return twiml(response)
