"""Headers every page a person reads carries (console, web chat, /demo: app.py applies them), and
the app-wide transport rules: which proxies are trusted, HSTS, Permissions-Policy, http→https."""
from __future__ import annotations

from flask import Flask, Response, redirect, request
from werkzeug.middleware.proxy_fix import ProxyFix

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


# Production only: browsers keep to https for a year, and no page may use the camera, the microphone or
# the location of someone who may be watched.
HSTS = "max-age=31536000"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()"
# Never redirected: the platform's health check speaks plain http inside, and Twilio posts to the
# configured https URL (a redirect would not be followed with the signature intact).
NOT_REDIRECTED = ("/healthz", "/webhooks/")


def init_transport_security(app: Flask, trusted_proxies: int, production: bool, public_base_url: str) -> None:
    """ProxyFix for exactly the proxies named; in production HSTS, Permissions-Policy and http→https."""
    if trusted_proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted_proxies, x_proto=trusted_proxies)
    if not production:
        return
    https = public_base_url.startswith("https://")

    @app.before_request
    def to_https():
        if https and request.scheme == "http" and not request.path.startswith(NOT_REDIRECTED):
            return redirect(public_base_url + request.full_path.rstrip("?"), code=308)
        return None

    @app.after_request
    def transport_headers(response: Response) -> Response:
        if https:
            response.headers["Strict-Transport-Security"] = HSTS
        response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
        return response
