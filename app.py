"""Lantern's application factory; `app` is what gunicorn and `flask --app app` serve."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask
from redis import Redis

from bot.engine import Engine
from bot.service import InboundService
from config.logs import configure_logging
from config.settings import Settings, load_settings
from store.crypto import Cipher
from store.redis_store import RedisStore

log = logging.getLogger("lantern")
EMBEDDED_BANNER = (
    "Lantern is running on the embedded in-process store (no REDIS_URL): nothing is kept "
    "when it stops, and jobs run inline. Set REDIS_URL for anything real."
)


@dataclass
class Lantern:
    """Everything the edges need, built once per process from Settings."""

    settings: Settings
    redis: Redis
    store: RedisStore
    engine: Engine
    service: InboundService
    safety_message: str
    store_kind: str


def create_app(settings: Settings | None = None) -> Flask:
    configure_logging()
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=256 * 1024)
    app.extensions["lantern"] = build_lantern(settings)

    from cli import register_commands
    from webhooks import bp as webhooks_bp, health_bp

    app.register_blueprint(webhooks_bp)
    app.register_blueprint(health_bp)
    register_commands(app)
    return app


def build_lantern(settings: Settings) -> Lantern:
    redis = connect_redis(settings)
    store = RedisStore(redis, Cipher(settings.data_keys), settings.lookup_key, settings.content.org.retention)
    engine = Engine(settings.content)
    return Lantern(
        settings=settings, redis=redis, store=store, engine=engine,
        service=InboundService(engine, store), safety_message=static_safety_message(settings),
        store_kind="embedded" if settings.embedded else "redis",
    )


def connect_redis(settings: Settings) -> Redis:
    if settings.redis_url:
        # Short timeouts: with Redis down the webhook must still answer well inside Twilio's 15 s.
        return Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=1,
                              health_check_interval=30)
    import fakeredis

    log.warning(EMBEDDED_BANNER)
    return fakeredis.FakeRedis()


def static_safety_message(settings: Settings) -> str:
    """The message that needs nothing but config: 911 and the hotline, in English and Spanish."""
    org = settings.content.org
    return (
        f"If you are in danger, call {org.emergency_number}. National hotline: {org.hotline_call}, "
        f"or text {org.hotline_text}. / Si estás en peligro, llama al {org.emergency_number}. "
        f"Línea nacional: {org.hotline_call}, o textea al {org.hotline_text}."
    )


app = create_app()
