"""Check X-Twilio-Signature over PUBLIC_BASE_URL + path (+ query) with twilio's RequestValidator."""
from __future__ import annotations

import functools
import logging

from flask import abort, current_app, request
from twilio.request_validator import SIGNATURE_SETTINGS_HEADER, RequestValidator, get_signature_algorithm

log = logging.getLogger(__name__)


def signed_url() -> str:
    """The URL Twilio signed: the public base (not the Host header a proxy may rewrite) + path + query."""
    base = current_app.extensions["lantern"].settings.public_base_url
    query = request.query_string.decode("latin-1")
    return base + request.path + ("?" + query if query else "")


def twilio_signed(view):
    """Refuse (403) any request whose Twilio signature is missing or wrong."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        token = current_app.extensions["lantern"].settings.twilio_auth_token
        signature = request.headers.get("X-Twilio-Signature", "")
        algorithm = get_signature_algorithm(request.headers.get(SIGNATURE_SETTINGS_HEADER))
        if not token or not signature or not RequestValidator(token).validate(
            signed_url(), request.form, signature, algorithm=algorithm
        ):
            log.warning("webhook refused: bad or missing signature path=%s", request.path)
            abort(403, "Twilio signature missing or wrong.")
        return view(*args, **kwargs)

    return checked
