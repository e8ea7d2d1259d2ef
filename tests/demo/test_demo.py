"""/demo: two phones texting the line through its signed webhook; never served in production."""
from __future__ import annotations

import re

import pytest

from tests.apps import create_app, lantern_of
from config.settings import load_settings
from tests.conftest import environ_for
from tests.console.browser import run_worker


class DemoPage:
    """A browser tab on /demo, as its script uses it: the CSRF token from the page, JSON to /demo/text."""

    def __init__(self, app):
        self.client = app.test_client()
        page = self.client.get("/demo")
        assert page.status_code == 200
        self.csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.get_data(as_text=True)).group(1)

    def text(self, phone: str, body: str):
        return self.client.post("/demo/text", json={"phone": phone, "body": body}, headers={"X-CSRFToken": self.csrf})

    def screen(self, phone: str) -> list[tuple[str, str]]:
        return [(m["by"], m["text"]) for m in self.client.get("/demo/phones").get_json()[phone]]


def test_the_survivor_phone_gets_the_bot_and_the_advocate_phone_the_page_then_the_claim(demo_line):
    app, _ = demo_line
    lantern, demo = lantern_of(app), DemoPage(app)
    assert demo.text("survivor", "hi").status_code == 200
    assert demo.screen("survivor")[0] == ("me", "hi") and "911" in demo.screen("survivor")[1][1]
    demo.text("survivor", "he hits me")
    run_worker(lantern)  # the page leaves through the worker, as on the line
    page = demo.screen("advocate")[-1][1]
    code = re.match(r"Lantern: URGENT request (\w{4}) ", page).group(1)
    assert "5555550110" not in page and "hits" not in page
    demo.text("advocate", f"claim {code}")
    assert demo.screen("advocate")[-2:][0] == ("me", f"claim {code}")
    assert any(text.startswith(f"{code} is yours") for by, text in demo.screen("advocate") if by == "line")
    run_worker(lantern)
    assert demo.screen("survivor")[-1] == ("line", "Hi, this is Alexis, an advocate. I'm here with you now.")


def test_texts_go_through_the_signed_webhook(demo_line):
    app, _ = demo_line
    lantern, demo = lantern_of(app), DemoPage(app)
    demo.text("survivor", "hello")
    conversation = lantern.stores.store.get(lantern.stores.store.conversation_key("+15555550110"))
    assert conversation is not None and conversation.state != "new"  # the webhook ran the bot and stored it


def test_the_demo_refuses_what_a_page_would_not_send(demo_line):
    app, _ = demo_line
    demo = DemoPage(app)
    assert demo.text("neighbour", "hi").status_code == 400
    assert demo.text("survivor", "").status_code == 400
    assert demo.text("survivor", "x" * 1601).status_code == 400
    no_token = demo.client.post("/demo/text", json={"phone": "survivor", "body": "hi"})
    assert no_token.status_code == 400 and demo.screen("survivor") == []  # another site can't text as them


def test_demo_pages_carry_the_consoles_headers(demo_line):
    app, _ = demo_line
    response = app.test_client().get("/demo")
    assert response.headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("overrides", [{"LANTERN_ENV": "production"}, {}],
                         ids=["production", "real-redis-outside-production"])
def test_demo_is_never_served_on_a_real_line(redis_url, overrides):
    if redis_url is None:
        pytest.skip("no Redis server: a real line can't be started")
    app = create_app(load_settings(environ_for(redis_url, **overrides), dotenv=False))
    client = app.test_client()
    https = {"base_url": "https://lantern.test"}  # production sends plain http to https first
    assert client.get("/demo", **https).status_code == 404
    assert client.post("/demo/text", json={"phone": "survivor", "body": "hi"}, **https).status_code == 404
    assert client.get("/demo/phones", **https).status_code == 404
    lantern_of(app).stores.redis.flushdb()
