"""The chat in a real browser: Debian's Chromium driven by Playwright, the app on a real threaded server."""
from __future__ import annotations

import io
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from tests.conftest import ALEXIS
from tests.redis_server import free_port
from tests.apps import lantern_of

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NEUTRAL_PAGE = "<!doctype html><title>Weather</title><h1>Weather stand-in</h1><p>Sunny, 21°C.</p>"


class NeutralSite:
    """A local stand-in of the neutral site quick exit goes to (and of a page visited before the chat)."""

    def __init__(self):
        class Page(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                body = NEUTRAL_PAGE.encode() if self.path == "/weather.html" else b"<title>Before</title><p>news</p>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Page)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def neutral_site():
    site = NeutralSite()
    yield site
    site.stop()


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def server_logs():
    """What the real server logs (werkzeug's request lines included)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


@pytest.fixture
def live_chat(make_app, neutral_site, server_logs):
    """Lantern on a real threaded werkzeug server; PUBLIC_BASE_URL is its own address."""
    def serve(**chat: object) -> str:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        app = make_app(public_base_url=base, exit_url=neutral_site.url + "/weather.html", poll_seconds=1, **chat)
        server = make_server("127.0.0.1", port, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return base

    servers: list = []
    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def browser_page(chromium):
    contexts = []

    def open_page(locale: str = "en-US"):
        context = chromium.new_context(locale=locale)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def send(page, text: str) -> None:
    page.fill("#box", text)
    page.press("#box", "Enter")


def test_safety_check_danger_and_quick_exit_with_no_way_back(live_chat, browser_page, neutral_site, server_logs):
    base = live_chat()
    page = browser_page()
    page.goto(neutral_site.url + "/before.html")
    page.goto(base + "/chat")
    expect(page).to_have_title("Weather")
    first = page.locator(".msg.bot").first
    expect(first).to_contain_text("Are you safe to talk?")
    expect(first).to_contain_text("call 911. National hotline: 1-888-373-7888, or text 233733")
    send(page, "2")
    expect(page.locator(".msg.you")).to_have_text(["You2"])
    expect(page.locator(".msg.bot").nth(1)).to_contain_text("Call 911 now if you can. National hotline: 1-888-373-7888")
    token = page.evaluate("sessionStorage.getItem('t')")
    assert page.context.cookies() == [] and page.evaluate("localStorage.length") == 0
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0

    page.click("#exit")
    page.wait_for_url(neutral_site.url + "/weather.html")
    expect(page.locator("h1")).to_have_text("Weather stand-in")
    page.go_back()
    page.wait_for_url(neutral_site.url + "/before.html")  # Back skips the chat: it was replaced
    assert "/chat" not in page.url
    gone = requests.get(base + "/chat/messages", headers={"X-Chat-Token": token}, timeout=5)
    assert gone.status_code == 410  # the server dropped the chat too
    assert token not in server_logs.getvalue() and "GET /chat/messages" in server_logs.getvalue()


@pytest.mark.parametrize("stream_seconds", [0, 10], ids=["reconnecting-stream", "held-stream"])
def test_an_advocate_claims_by_sms_and_their_messages_appear_live(live_chat, browser_page, make_texter, roster,
                                                                  work, stream_seconds):
    page = browser_page()
    page.goto(live_chat(stream_seconds=stream_seconds) + "/chat")
    expect(page.locator(".msg.bot").first).to_contain_text("Are you safe to talk?")
    send(page, "2")
    expect(page.locator(".msg.bot")).to_have_count(2)
    work()
    alexis = make_texter(ALEXIS)
    token = page.evaluate("sessionStorage.getItem('t')")
    with alexis.client.application.app_context():
        lantern = lantern_of(alexis.client.application)
        code = lantern.stores.store.get(lantern.stores.store.conversation_key("web:" + token)).case_code
    assert alexis.send(f"CLAIM {code}")[0].startswith(f"{code} is yours")
    work()
    from_advocate = page.locator(".msg.advocate")
    expect(from_advocate).to_have_text(["AlexisHi, this is Alexis, an advocate. I'm here with you now."])
    alexis.send("I'm here. Are you somewhere safe?")
    work()
    expect(from_advocate.last).to_have_text("AlexisI'm here. Are you somewhere safe?")
    expect(from_advocate.last.locator(".who")).to_have_text("Alexis")


def test_spanish_from_the_browser_then_english_by_the_switch_and_esc_twice(live_chat, browser_page, neutral_site):
    base = live_chat()
    page = browser_page(locale="es-ES")
    page.goto(neutral_site.url + "/before.html")
    page.goto(base + "/chat")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#exit")).to_have_text("Salida rápida")
    expect(page.locator(".msg.bot").first).to_contain_text("¿Puedes hablar con seguridad?")
    expect(page.locator(".msg.bot").first).to_contain_text("llama al 911")
    page.click("#switch")
    expect(page.locator("#exit")).to_have_text("Quick exit")
    expect(page.locator(".msg.bot").last).to_contain_text("Are you safe to talk?")  # the same chat, now in English
    expect(page.locator(".msg.bot").first).to_contain_text("¿Puedes hablar con seguridad?")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(neutral_site.url + "/weather.html")
    page.go_back()
    page.wait_for_url(neutral_site.url + "/before.html")


def test_shift_three_times_is_a_quick_exit_but_typing_capitals_is_not(live_chat, browser_page, neutral_site):
    base = live_chat()
    page = browser_page()
    page.goto(neutral_site.url + "/before.html")
    page.goto(base + "/chat")
    expect(page.locator(".msg.bot").first).to_contain_text("Are you safe to talk?")
    expect(page.locator("body")).to_contain_text("press Shift three times")
    page.fill("#box", "")
    page.type("#box", "I Am OK Now")  # four capitals, each typed with Shift held
    assert "/chat" in page.url
    token = page.evaluate("sessionStorage.getItem('t')")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(neutral_site.url + "/weather.html")
    page.go_back()
    page.wait_for_url(neutral_site.url + "/before.html")  # replaced, as the button does: Back skips the chat
    gone = requests.get(base + "/chat/messages", headers={"X-Chat-Token": token}, timeout=5)
    assert gone.status_code == 410


def test_shift_taps_further_apart_than_five_seconds_do_not_exit(live_chat, browser_page):
    page = browser_page()
    page.goto(live_chat() + "/chat")
    expect(page.locator(".msg.bot").first).to_contain_text("Are you safe to talk?")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.evaluate("() => { const now = Date.now; Date.now = () => now() + 6000; }")  # six seconds on
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url.endswith("/chat")


def test_a_chat_left_any_other_way_is_gone_from_back_and_from_a_reopened_tab(live_chat, browser_page, neutral_site,
                                                                              make_texter, roster, work, twilio_api):
    base = live_chat()
    page = browser_page()
    page.goto(base + "/chat")
    expect(page.locator(".msg.bot").first).to_contain_text("Are you safe to talk?")
    send(page, "he took my passport")
    expect(page.locator(".msg.you")).to_have_count(1)
    token = page.evaluate("sessionStorage.getItem('t')")
    work()
    alexis = make_texter(ALEXIS)
    lantern = lantern_of(alexis.client.application)
    code = lantern.stores.store.get(lantern.stores.store.conversation_key("web:" + token)).case_code
    alexis.send(f"CLAIM {code}")
    page.goto(neutral_site.url + "/before.html")  # not quick exit: a link, a typed address
    page.go_back()
    page.wait_for_url(base + "/chat")
    expect(page.locator(".msg.bot").first).to_contain_text("Are you safe to talk?")
    expect(page.locator(".msg.you")).to_have_count(0)  # nothing of the old chat
    assert "passport" not in page.content()
    assert page.evaluate("sessionStorage.getItem('t')") != token
    gone = requests.get(base + "/chat/messages", headers={"X-Chat-Token": token}, timeout=5)
    assert gone.status_code == 410
    work()
    assert twilio_api.to(ALEXIS)[-1] == f"{code} left the web chat page (closed it, or went Back or elsewhere): " \
                                        "it has ended and nothing more can reach them."
