"""The advocates' web console under /console: queue, conversations, safe places, roster, audit."""
from __future__ import annotations

from flask import Blueprint, Flask
from flask_wtf.csrf import CSRFProtect

from console.blueprint import bp
from console.dependencies import ConsoleDependencies, install
from console.limits import limiter, storage_for
from console.security import init_transport_security
from console.sessions import COOKIE, PRODUCTION_COOKIE, RedisSessionInterface

csrf = CSRFProtect()

# The views register themselves on `bp` when their modules are imported.
from console import (  # noqa: E402,F401
    audit, auth, blocks, conversation, errors, misreads, outreach, queue, reports, roster, safety_plan, shelters,
    two_factor,
)


def init_console(app: Flask, dependencies: ConsoleDependencies, exempt: list[Blueprint]) -> None:
    """Register the console with its sessions, CSRF checks and sign-in limits.

    `exempt`: blueprints that verify requests their own way (Twilio's signed webhooks): no CSRF token is
    asked of them and no rate limit ever applies, so a signed webhook never gets a 400 or a 429.
    """
    install(app, dependencies)
    settings = dependencies.settings
    production = settings.production
    storage_uri, storage_options = storage_for(settings.redis_location.uri)
    app.config.update(
        SESSION_COOKIE_NAME=PRODUCTION_COOKIE if production else COOKIE,
        SESSION_COOKIE_SECURE=production,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # A console tab stays open for a whole shift: the token lives as long as the session does.
        WTF_CSRF_TIME_LIMIT=None,
        # Flask-WTF's strict mode wants a Referer on HTTPS, which Referrer-Policy: no-referrer never sends;
        # the token and SameSite=Lax carry the protection.
        WTF_CSRF_SSL_STRICT=False,
        RATELIMIT_STORAGE_URI=storage_uri,
        RATELIMIT_STORAGE_OPTIONS=storage_options,
    )
    app.session_interface = RedisSessionInterface(dependencies.sessions)
    app.register_blueprint(bp)
    csrf.init_app(app)
    limiter.init_app(app)
    _limit_console_only(app)
    for blueprint in exempt:
        csrf.exempt(blueprint)
        limiter.exempt(blueprint)
    init_transport_security(app, settings.content.org.trusted_proxies, production, settings.public_base_url)
    errors.register_for_unmatched_urls(app)


def _limit_console_only(app: Flask) -> None:
    """Flask-Limiter checks every request of the app; only the console's views are limited, so its check
    runs for the console alone: a Twilio webhook does not pay for it (about a tenth of its CPU)."""
    check = limiter._check_request_limit
    app.before_request_funcs[None].remove(check)
    app.before_request_funcs.setdefault(bp.name, []).append(check)

