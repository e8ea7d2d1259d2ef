"""Headers every console page carries; the web chat imports `apply_security_headers` for its pages too."""
from __future__ import annotations

from flask import Response

# Everything from our own origin, nothing inline: a script injected into a transcript can't run, and no
# third party learns that this browser opened a helpline's console.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))


def apply_security_headers(response: Response) -> Response:
    """No caching (transcripts stay off disks and proxies), no framing, no referrer, our own origin only."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
