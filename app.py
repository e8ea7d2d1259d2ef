"""Lantern's application factory; `app` is what gunicorn and `flask --app app` serve."""
from __future__ import annotations

from flask import Flask, request

from config.logs import configure_logging
from config.settings import Settings, load_settings
from console.auditing import desk_auditor
from console.security import apply_security_headers
from wiring import build_lantern


def create_app(settings: Settings | None = None, redis=None) -> Flask:
    """The app; `redis`: a client of the caller's own (tests inject faults with it), else from Settings."""
    configure_logging()
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=256 * 1024)
    lantern = app.extensions["lantern"] = build_lantern(settings, redis)
    lantern.desk.audit = desk_auditor(lantern.audit)  # says whether it came from the console or by SMS
    lantern.blocking.audit = desk_auditor(lantern.audit, "cli")

    from cli import register_commands
    from console import init_console
    from chat import bp as chat_bp
    from webhooks import SmsLane, bp as webhooks_bp, health_bp, voice_bp

    app.register_blueprint(webhooks_bp)
    app.register_blueprint(voice_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(chat_bp)
    init_console(app, exempt=[webhooks_bp, voice_bp, chat_bp])
    if settings.embedded and not settings.production:  # /demo shows texts: never on a real line
        from demo import bp as demo_bp

        app.register_blueprint(demo_bp)
    app.after_request(_page_headers)
    register_commands(app)
    # Twilio's inbound messages skip Flask's request machinery (webhooks/sms_lane.py): the line's hot path.
    app.wsgi_app = SmsLane(app.wsgi_app, lantern, app.config["MAX_CONTENT_LENGTH"])
    return app


PAGES = ("/console", "/chat", "/demo")  # what a person reads in a browser (Twilio's webhooks are not pages)


def _page_headers(response):
    """No caching, no framing, our own origin only: on every response under a page's path, its 404s and
    static files too, not only its blueprint's views."""
    if any(request.path == page or request.path.startswith(page + "/") for page in PAGES):
        apply_security_headers(response)
    return response



app = create_app()
