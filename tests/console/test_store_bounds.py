"""Nothing unauthenticated writes to Redis without a bound; Redis memory is watched; Redis down gets the
console's own 503 page, not a bare 500."""
from __future__ import annotations

import logging

import pytest
from redis import Redis

from tests.apps import create_app, lantern_of
from config.settings import load_settings
from tests.conftest import SAM, environ_for
from tests.console.conftest import PASSWORDS, sign_in
from tests.redis_server import RedisServer


def test_sign_in_page_views_store_no_session_and_are_rate_limited(app, raw_redis):
    before = set(raw_redis.keys("*"))
    answers = [app.test_client().get("/console/login").status_code for _ in range(61)]
    assert answers == [200] * 60 + [429]
    added = set(raw_redis.keys("*")) - before
    assert not [k for k in added if k.startswith(b"lantern:session:")]
    assert len(added) <= 3  # the page-view counter, the audit stream and its once-a-minute marker: not a key per view


def test_signing_in_still_works_from_the_signed_cookie_and_only_then_a_session_is_stored(app, advocates,
                                                                                           raw_redis):
    client = app.test_client()
    assert sign_in(client, "Alexis Rivera").status_code == 302
    assert len(raw_redis.keys("lantern:session:*")) == 1
    assert client.get("/console/").status_code == 200


def test_a_forged_sign_in_cookie_opens_nothing(app, advocates):
    client = app.test_client()
    client.set_cookie("lantern-session", "a.eyJhZHZvY2F0ZSI6ImFsZXhpcyByaXZlcmEifQ.forged.sig")
    assert client.get("/console/").status_code == 302  # to sign-in


def test_healthz_shows_redis_memory_and_warns_past_80_percent(redis_url, caplog):
    if redis_url is None:
        pytest.skip("the embedded store has no memory figures")
    # Its own Redis: maxmemory is the whole server's, and the other tests' writes on a shared one would
    # move the figure under it (and could meet the limit set here).
    server = RedisServer.start()
    try:
        settings = load_settings(environ_for(server.url), dotenv=False)
        app = create_app(settings)
        stores = lantern_of(app).stores
        stores.roster.add("Sam Okafor", SAM)
        stores.credentials.set_password(stores.roster.named("Sam Okafor").id, PASSWORDS["Sam Okafor"])
        raw = Redis.from_url(server.url)
        raw.set("lantern-test:ballast", b"x" * (4 << 20))  # a line's worth of data: room for a session at 88%
        memory = app.test_client().get("/healthz").get_json()["memory"]
        assert memory["used_bytes"] > 0 and memory["policy"]
        # 88%: past the 80% warning with room for what the server frees or takes between two readings.
        raw.config_set("maxmemory", int(memory["used_bytes"] / 0.88))
        # A fresh app for a fresh reading: the gauge reads at most every 10 s per process.
        fresh = create_app(settings)
        with caplog.at_level(logging.WARNING, logger="store.memory_gauge"):
            health = fresh.test_client().get("/healthz").get_json()
        assert health["status"] == "ok" and "maxmemory" in health["warning"]
        assert health["memory"]["percent"] >= 80
        assert any("redis memory at" in r.getMessage() for r in caplog.records)
        client = fresh.test_client()
        sign_in(client, "Sam Okafor")
        assert "The store is" in client.get("/console/").get_data(as_text=True)
    finally:
        server.stop()


def test_with_redis_down_the_console_shows_its_own_503_page(redis_url):
    if redis_url is None:
        pytest.skip("needs a Redis server to stop")
    server = RedisServer.start()
    try:
        app = create_app(load_settings(environ_for(server.url), dotenv=False))
        client = app.test_client()
        assert client.get("/console/login").status_code == 200
        client.set_cookie("lantern-session", "some-signed-in-session-id")
    finally:
        server.stop()
    for fresh, path in ((client, "/console/"), (client, "/console/login"), (app.test_client(), "/console/login")):
        page = fresh.get(path)
        assert page.status_code == 503, path
        assert "reach its store right now" in page.get_data(as_text=True)
