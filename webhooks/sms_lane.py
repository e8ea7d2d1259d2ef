"""POST /webhooks/sms served beneath Flask: verify, parse, call the intake, render TwiML, and nothing else.

Twilio's inbound messages are the line's hot path, and most of the cost of a turn that is not Redis
was Flask's own machinery around it: the request context, URL matching, the console's hooks (CSRF,
sessions, security headers), a Response object. The webhook needs none of it, so this WSGI layer
answers that one path itself and hands every other request to Flask. It keeps the blueprint's rules:
the signature is checked over PUBLIC_BASE_URL + path (+ query), a bad form is a 400 that says which
field, and whatever breaks, the survivor gets the static safety message with HTTP 200 (rule 5).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import unquote_plus

from twilio.request_validator import SIGNATURE_SETTINGS_HEADER, get_signature_algorithm

from config.settings import Settings
from messaging.inbound import Intake
from webhooks.parsing import BadInbound, parse_inbound
from webhooks.signature import signature_matches
from webhooks.twiml import twiml

log = logging.getLogger("webhooks.views")
PATH = "/webhooks/sms"
MAX_FIELDS = 1000  # werkzeug's own bound on form parts
_SETTINGS_HEADER = "HTTP_" + SIGNATURE_SETTINGS_HEADER.upper().replace("-", "_")
_TEXT = [("Content-Type", "text/plain; charset=utf-8")]


class Refused(Exception):
    """Not a message Twilio sent us: the status and the reason, in plain text."""

    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class SmsLaneDependencies:
    """What the hot path uses, resolved once when the app is built."""

    settings: Settings
    intake: Intake
    safety_message: str


class SmsLane:
    """WSGI middleware: POST /webhooks/sms here, everything else to `app` (Flask's wsgi_app)."""

    def __init__(self, app, dependencies: SmsLaneDependencies, max_body: int):
        self.app = app
        self.deps = dependencies
        self.max_body = max_body

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        try:
            body = self.answer(environ)
            status, headers = "200 OK", [("Content-Type", "text/xml; charset=utf-8")]
        except Refused as refused:
            status, headers, body = refused.status, _TEXT, (refused.reason + "\n").encode()
        except Exception as exc:  # a bug, Redis in a state the intake did not expect: 911 and the hotline
            log.error("webhook failed, static safety reply sent: %s", type(exc).__name__, exc_info=True)
            status, headers, body = "200 OK", [("Content-Type", "text/xml; charset=utf-8")], \
                twiml(self.deps.safety_message)
        start_response(status, headers + [("Content-Length", str(len(body)))])
        return [body]

    def answer(self, environ) -> bytes:
        form = self.form(environ)
        settings = self.deps.settings
        query = environ.get("QUERY_STRING", "")
        url = settings.public_base_url + PATH + ("?" + query if query else "")
        algorithm = get_signature_algorithm(environ.get(_SETTINGS_HEADER))
        if not signature_matches(settings.twilio_auth_token, url, form,
                                 environ.get("HTTP_X_TWILIO_SIGNATURE", ""), algorithm):
            log.warning("webhook refused: bad or missing signature path=%s", PATH)
            raise Refused("403 FORBIDDEN", "Twilio signature missing or wrong.")
        try:
            inbound = parse_inbound(form)
        except BadInbound as exc:
            raise Refused("400 BAD REQUEST", str(exc)) from None
        replies = self.deps.intake.receive(inbound)
        if replies is None:  # blocked; or Redis unreachable: kept in the spool, replayed when it is back
            return twiml(self.deps.safety_message)
        return twiml("\n".join(replies)) if replies else twiml()

    def form(self, environ) -> Fields:
        """Twilio's urlencoded POST, as Flask would read it (UTF-8, bad bytes replaced)."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise Refused("400 BAD REQUEST", "Content-Length is not a number.") from None
        if length > self.max_body:
            raise Refused("413 REQUEST ENTITY TOO LARGE", "The request is too large.")
        if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
            return Fields()
        raw = environ["wsgi.input"].read(length) if length else b""
        return form_fields(raw.decode("latin-1"))


class Fields(dict):
    """A urlencoded form: each name with its values in order. `get` gives the first value, as a form's
    does; `getall` is what twilio's RequestValidator asks for (a werkzeug MultiDict has only getlist, and
    the validator pays an AttributeError per field to find it)."""

    def get(self, name, default=None):
        values = dict.get(self, name)
        return values[0] if values else default

    def getall(self, name) -> list[str]:
        return self[name]


def form_fields(text: str) -> Fields:
    """What urllib.parse.parse_qsl(text, keep_blank_values=True, errors="replace") reads (UTF-8 escapes,
    "+" for space, a field without "=" blank), at a third of its cost: most of Twilio's fields need no
    unquoting at all."""
    if text.count("&") >= MAX_FIELDS:
        raise Refused("413 REQUEST ENTITY TOO LARGE", "Too many form fields.")
    fields = Fields()
    for field in text.split("&"):
        if not field:
            continue
        name, _, value = field.partition("=")
        if "%" in name or "+" in name:
            name = unquote_plus(name, errors="replace")
        if "%" in value or "+" in value:
            value = unquote_plus(value, errors="replace")
        if name in fields:
            fields[name].append(value)
        else:
            fields[name] = [value]
    return fields
