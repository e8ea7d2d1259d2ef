"""Safety rule 5: whatever breaks, the survivor gets 911 and the hotline with HTTP 200."""
from __future__ import annotations

import time

from tests.apps import create_app
from config.settings import load_settings
from store.keys import key_for
from tests.conftest import Texter, signed_post, new_sid, environ_for, twiml_messages
from tests.redis_server import RedisServer, free_port


def assert_safety_reply(response) -> None:
    assert response.status_code == 200
    [reply] = twiml_messages(response)
    assert "911" in reply and "1-888-373-7888" in reply and "233733" in reply


def test_redis_stopped_mid_conversation_still_answers_with_the_safety_message():
    server = RedisServer.start()
    try:
        app = create_app(load_settings(environ_for(server.url), dotenv=False))
        texter = Texter(app.test_client(), "+15555550130")
        assert "Are you safe to talk" in texter.send("hello")[0]
    finally:
        server.stop()
    started = time.monotonic()
    assert_safety_reply(texter.post("2"))
    assert time.monotonic() - started < 5


def test_fallback_answers_with_redis_unreachable():
    app = create_app(load_settings(environ_for(f"redis://127.0.0.1:{free_port()}/0"), dotenv=False))
    response = signed_post(app.test_client(), "/webhooks/fallback", {"MessageSid": new_sid(), "From": "+15555550131"})
    assert_safety_reply(response)


def test_healthz_reports_redis(client):
    assert client.get("/healthz").get_json()["redis"] == "ok"


def test_healthz_is_unhealthy_without_redis():
    app = create_app(load_settings(environ_for(f"redis://127.0.0.1:{free_port()}/0"), dotenv=False))
    assert app.test_client().get("/healthz").status_code == 503


def test_undecryptable_state_gets_the_safety_message(texter, lantern, raw_redis):
    texter.send("hello")
    raw_redis.set(key_for(lantern.stores.store.conversation_key(texter.number), "state"), b"not a fernet token")
    assert_safety_reply(texter.post("1"))
