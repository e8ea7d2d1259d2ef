"""Check X-Twilio-Signature over PUBLIC_BASE_URL + path (+ query), one HMAC for a genuine request."""
from __future__ import annotations

import functools
import logging
from urllib.parse import urlparse

from flask import abort, request
from twilio.request_validator import (
    _HASH_FUNCTIONS, SIGNATURE_SETTINGS_HEADER, RequestValidator, add_port, compare, get_signature_algorithm,
    remove_port,
)

from webhooks.dependencies import webhook_dependencies

log = logging.getLogger(__name__)


def signed_url() -> str:
    """The URL Twilio signed: the public base (not the Host header a proxy may rewrite) + path + query."""
    base = webhook_dependencies().settings.public_base_url
    query = request.query_string.decode("latin-1")
    return base + request.path + ("?" + query if query else "")


@functools.lru_cache(maxsize=4)
def _validator(token: str) -> RequestValidator:
    return RequestValidator(token)


def signature_matches(token: str, url: str, params, signature: str, algorithm: str) -> bool:
    """What twilio's RequestValidator.validate accepts for a form POST (the URL with or without its
    port), in one HMAC when Twilio signed the URL as we were told it: validate always computes two."""
    if not token or not signature or (algorithm or "").upper() not in _HASH_FUNCTIONS:
        return False
    validator = _validator(token)
    if compare(validator.compute_signature(url, params, algorithm), signature):
        return True
    parsed = urlparse(url)
    other = remove_port(parsed) if parsed.port else add_port(parsed)
    return compare(validator.compute_signature(other, params, algorithm), signature)


def twilio_signed(view):
    """Refuse (403) any request whose Twilio signature is missing or wrong."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        token = webhook_dependencies().settings.twilio_auth_token
        signature = request.headers.get("X-Twilio-Signature", "")
        algorithm = get_signature_algorithm(request.headers.get(SIGNATURE_SETTINGS_HEADER))
        if not signature_matches(token, signed_url(), request.form, signature, algorithm):
            log.warning("webhook refused: bad or missing signature path=%s", request.path)
            abort(403, "Twilio signature missing or wrong.")
        return view(*args, **kwargs)

    return checked
