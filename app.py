"""Lantern's application factory; `app` is what gunicorn and `flask --app app` serve.

The web half of the composition root: wiring.py builds the Lantern; here each edge gets its typed dependency
object, made once from it, and never looks anything up in a bag."""
from __future__ import annotations

from flask import Flask, request
from redis import Redis

from chat import bp as chat_bp
from chat.dependencies import ChatDependencies, install as install_chat_dependencies
from chat.stream import StreamSlots
from cli import register_commands
from cli.dependencies import CliDependencies
from config.logs import configure_logging
from config.settings import Settings, load_settings
from console import init_console
from console.auditing import desk_auditor
from console.dependencies import ConsoleDependencies
from console.security import apply_security_headers
from store.attempts import SignInAttempts
from store.reads import ForeignReads
from webhooks import bp as webhooks_bp, health_bp, voice_bp
from webhooks.dependencies import WebhookDependencies, install as install_webhook_dependencies
from webhooks.sms_lane import SmsLane, SmsLaneDependencies
from wiring import Lantern, build_lantern


def create_app(settings: Settings | None = None, redis: Redis | None = None) -> Flask:
    """The app; `redis`: a client of the caller's own (tests inject faults with it), else from Settings."""
    return build_app(settings, redis)[0]


def build_app(settings: Settings | None = None, redis: Redis | None = None) -> tuple[Flask, Lantern]:
    """The app and the Lantern it runs on (tests reach the stores through the second)."""
    configure_logging()
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=256 * 1024)
    # The app's auditor says whether a desk's action came from the console or by SMS.
    lantern = build_lantern(settings, redis, auditor=desk_auditor)

    install_webhook_dependencies(app, webhooks_of(lantern))
    install_chat_dependencies(app, chat_of(lantern))
    app.register_blueprint(webhooks_bp)
    app.register_blueprint(voice_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(chat_bp)
    init_console(app, console_of(lantern), exempt=[webhooks_bp, voice_bp, chat_bp])
    if settings.embedded and not settings.production and lantern.stores.demo_phones is not None:
        from demo import bp as demo_bp  # /demo shows texts: never on a real line
        from demo.dependencies import DemoDependencies, install

        install(app, DemoDependencies(settings, lantern.stores.roster, lantern.stores.demo_phones))
        app.register_blueprint(demo_bp)
    app.after_request(_page_headers)
    register_commands(app, cli_of(lantern))
    # Twilio's inbound messages skip Flask's request machinery (webhooks/sms_lane.py): the line's hot path.
    app.wsgi_app = SmsLane(app.wsgi_app, SmsLaneDependencies(settings, lantern.intake, lantern.safety_message),
                           app.config["MAX_CONTENT_LENGTH"])
    return app, lantern


def webhooks_of(lantern: Lantern) -> WebhookDependencies:
    stores = lantern.stores
    return WebhookDependencies(lantern.settings, lantern.safety_message, stores.roster, lantern.missed_calls,
                               lantern.delivery_jobs, stores.redis, lantern.store_kind, stores.memory)


def chat_of(lantern: Lantern) -> ChatDependencies:
    return ChatDependencies(lantern.settings, lantern.stores.store, lantern.stores.web_chats, lantern.web_desk,
                            lantern.intake, lantern.engine, lantern.safety_message,
                            StreamSlots(lantern.settings.content.chat.max_streams))


def console_of(lantern: Lantern) -> ConsoleDependencies:
    s, lookup = lantern.stores, lantern.settings.lookup_key
    return ConsoleDependencies(
        settings=lantern.settings, store=s.store, roster=s.roster, credentials=s.credentials,
        two_factor=s.two_factor, sessions=s.sessions, sign_in_attempts=SignInAttempts(s.redis, lookup),
        code_attempts=SignInAttempts(s.redis, lookup, scope="code"), foreign_reads=ForeignReads(s.redis),
        desk=lantern.desk, blocking=lantern.blocking, blocks=s.blocks, engine=lantern.engine, texts=lantern.texts,
        postbox=lantern.postbox, offers=s.offers, outreaches=s.outreaches, reports=s.reports, audit=s.audit,
        misreads=s.misreads, shelters=s.shelters, memory=s.memory, outbox=s.outbox, deliveries=s.deliveries,
        whatsapp=s.whatsapp, canned_replies=lantern.canned_replies,
    )


def cli_of(lantern: Lantern) -> CliDependencies:
    s = lantern.stores
    return CliDependencies(
        settings=lantern.settings, store=s.store, roster=s.roster, credentials=s.credentials,
        two_factor=s.two_factor, audit=s.audit, blocking=lantern.blocking, blocks=s.blocks, engine=lantern.engine,
        service=lantern.service, outreaches=s.outreaches, reports=s.reports, misreads=s.misreads,
    )


PAGES = ("/console", "/chat", "/demo")  # what a person reads in a browser (Twilio's webhooks are not pages)


def _page_headers(response):
    """No caching, no framing, our own origin only: on every response under a page's path, its 404s and
    static files too, not only its blueprint's views."""
    if any(request.path == page or request.path.startswith(page + "/") for page in PAGES):
        apply_security_headers(response)
    return response


app = create_app()
