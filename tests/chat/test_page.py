"""The page a visitor opens, the stream that brings replies, and the chat that ends when nobody is at it."""
from __future__ import annotations

import re
import threading
import time
from html.parser import HTMLParser

import time_machine

from tests.chat.conftest import Visitor
from tests.conftest import ALEXIS


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parsed(html: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_the_page_is_small_self_contained_and_neutral_in_the_tab(client):
    response = client.get("/chat", headers={"Accept-Language": "en-US,en;q=0.9"})
    html = response.get_data(as_text=True)
    tags = parsed(html)
    assert response.status_code == 200 and len(response.data) < 6000
    assert "<title>Weather</title>" in html and "Lantern" not in html.split("</head>")[0]
    for tag, attrs in tags:
        assert not any(name.startswith("on") for name in attrs)  # no inline script
        if tag in ("script", "link", "img"):
            assert (attrs.get("src") or attrs.get("href")).startswith("/chat/")  # nothing from a third party
    assert [a for t, a in tags if t == "script"] == [{"src": "/chat/static/chat.js", "defer": None}]
    [box] = [a for t, a in tags if t == "textarea"]
    assert box["autocomplete"] == "off" and box["maxlength"] == "1600" and box["spellcheck"] == "false"
    [exit_link] = [a for t, a in tags if a.get("id") == "exit"]
    assert exit_link["href"] == "https://www.weather.gov/"
    assert "Quick exit" in html and "Call 911" in html  # without any script, the way out and the numbers


def test_the_page_speaks_the_browsers_language_or_the_one_chosen(client):
    spanish = client.get("/chat", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="es">' in spanish and "Salida rápida" in spanish and "Llama al 911" in spanish
    chosen = client.get("/chat?lang=en", headers={"Accept-Language": "es-MX"}).get_data(as_text=True)
    assert '<html lang="en">' in chosen and "Quick exit" in chosen


def test_title_icon_and_exit_page_come_from_chat_yaml(make_app, tmp_path):
    icon = tmp_path / "config0" / "leaf.png"
    icon.parent.mkdir()
    icon.write_bytes(b"\x89PNG\r\n\x1a\n invented")
    client = make_app(tab_title="Recipes", icon="leaf.png", exit_url="https://example.org/recipes").test_client()
    html = client.get("/chat").get_data(as_text=True)
    assert "<title>Recipes</title>" in html and 'href="https://example.org/recipes"' in html
    with client.get("/chat/icon") as response:
        assert response.data == icon.read_bytes() and response.mimetype == "image/png"


def test_discreet_mode_keeps_the_organisations_name_off_the_page_by_default(make_app, config_dir):
    assert "Lantern" not in make_app().test_client().get("/chat").get_data(as_text=True)
    org = (config_dir / "org.yaml").read_text(encoding="utf-8")
    unset = make_app(files={"org.yaml": org.replace("discreet_mode: true", "")})
    assert "Lantern" not in unset.test_client().get("/chat").get_data(as_text=True)  # left out: still discreet
    named = make_app(files={"org.yaml": org.replace("discreet_mode: true", "discreet_mode: false")})
    assert "Chat with Lantern" in named.test_client().get("/chat").get_data(as_text=True)


def test_the_event_stream_brings_a_message_that_arrives_while_it_waits(make_app):
    client = make_app(stream_seconds=5).test_client()
    visitor = Visitor(client)
    visitor.start()
    cursor = visitor.new()[-1]["id"]
    lantern = visitor.lantern
    later = threading.Timer(0.6, lambda: lantern.stores.web_chats.deliver(visitor.conv_key, [("advocate", "I'm here.", "Sam")]))
    later.start()
    started = time.monotonic()
    response = client.get(f"/chat/messages?after={cursor}",
                          headers={"X-Chat-Token": visitor.token, "Accept": "text/event-stream"})
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/event-stream" and body.startswith("retry: 2000\n\n")
    assert re.search(r'id: \d+-\d+\ndata: \{.*"by": "advocate", "text": "I\'m here\.", "name": "Sam"\}', body)
    assert 0.5 < time.monotonic() - started < 3  # it came as it arrived, not at the end of the wait


def test_without_a_hold_the_stream_answers_at_once_and_the_page_asks_again(visitor):
    visitor.start()
    started = time.monotonic()
    response = visitor.client.get("/chat/messages", headers={"X-Chat-Token": visitor.token,
                                                             "Accept": "text/event-stream"})
    assert "Are you safe to talk?" in response.get_data(as_text=True)
    assert time.monotonic() - started < 1


def claimed_chat(make_app, make_texter, work, minutes: int = 1) -> tuple[Visitor, str]:
    visitor = Visitor(make_app(idle_minutes=minutes).test_client())
    visitor.start()
    visitor.say("talk to a person")
    work()
    code = visitor.lantern.stores.store.get(visitor.conv_key).case_code
    make_texter(ALEXIS).send(f"CLAIM {code}")
    work()  # the intro reaches the tab, and the idle check is scheduled
    return visitor, code


def test_with_an_advocate_a_chat_nobody_is_at_ends_with_a_closing_line(make_app, make_texter, roster, work, twilio_api):
    visitor, code = claimed_chat(make_app, make_texter, work)
    visitor.new()
    with time_machine.travel(time.time() + 90, tick=True):
        work(with_scheduler=True)
        work()
    assert visitor.new()[-1]["text"].startswith("This conversation is closed.")
    assert twilio_api.to(ALEXIS)[-1] == f"{code}: nobody has been at the web chat for 1 min, so it has ended."
    assert "Are you safe to talk?" in visitor.say("hello?")[0]  # their next message starts afresh


def test_a_tab_still_open_keeps_the_chat(make_app, make_texter, roster, work, twilio_api):
    visitor, code = claimed_chat(make_app, make_texter, work)
    with time_machine.travel(time.time() + 45, tick=True):
        visitor.new()  # the page polls: the tab is there
        with time_machine.travel(time.time() + 45, tick=True):
            work(with_scheduler=True)
            work()
    assert visitor.lantern.stores.store.get(visitor.conv_key).advocate is not None
    assert not any("nobody has been at" in m for m in twilio_api.to(ALEXIS))
