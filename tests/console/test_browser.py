"""The console in a real browser (Debian's Chromium, headless, driven by Playwright) against a live server.

Set LANTERN_SCREENSHOTS=docs to refresh docs/console-queue.png and docs/console-conversation.png.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import environ_for
from tests.console.browser import CHROMIUM, CHROMIUM_ARGS, LiveServer, LiveTexter, run_worker
from tests.redis_server import free_port

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=(
    "no browser at /usr/bin/chromium: apt-get install chromium chromium-driver (.ci/run does) to run the "
    "console's browser tests"))

PASSWORD = "browser test passphrase"
SURVIVOR = "+15555550180"
DOCS = Path(__file__).resolve().parents[2] / "docs"
TIMEOUT_MS = 10_000  # the pages poll every 3 s


@pytest.fixture
def live(redis_url, twilio_api, config_dir):
    """Lantern served over real HTTP, PUBLIC_BASE_URL being that server (so webhook signatures match)."""
    from tests.apps import create_app, lantern_of
    from bot.advocates import Role
    from config.settings import load_settings

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    settings = load_settings(environ_for(redis_url, TWILIO_API_BASE=twilio_api.url, PUBLIC_BASE_URL=base_url,
                                         LANTERN_CONFIG_DIR=str(config_dir)), dotenv=False)
    app = create_app(settings)
    lantern = lantern_of(app)
    lantern.stores.redis.flushdb()
    for name, phone, role in (("Alexis Rivera", "+12135550101", Role.ADVOCATE),
                              ("Sam Okafor", "+12135550102", Role.ADVOCATE),
                              ("Morgan Diaz", "+12135550104", Role.SUPERVISOR)):
        advocate = lantern.stores.roster.add(name, phone, role, available=role is Role.ADVOCATE)
        lantern.stores.credentials.set_password(advocate.id, PASSWORD)
    with LiveServer(app, port):
        yield base_url, lantern
    lantern.stores.redis.flushdb()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser profile; any script error or CSP violation on a page fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert [p for p in problems if "401" not in p] == []  # a 401 poll after sign-out is expected


def sign_in(page, base_url: str, name: str, password: str = PASSWORD) -> None:
    page.goto(base_url + "/console/")
    page.get_by_label("Your name, as on the roster").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def case_code(lantern, number: str) -> str:
    return lantern.stores.store.get(lantern.stores.store.conversation_key(number)).case_code


def screenshot(page, name: str, tmp_path: Path) -> Path:
    target = (DOCS if os.environ.get("LANTERN_SCREENSHOTS") == "docs" else tmp_path) / name
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    return target


def test_sign_in_queue_claim_reply_live_answer_close(live, page, twilio_api):
    from playwright.sync_api import expect

    base_url, lantern = live
    sign_in(page, base_url, "Alexis Rivera")
    expect(page.get_by_role("heading", name="Waiting for an advocate")).to_be_visible()
    expect(page.get_by_text("Nobody is waiting.")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")

    survivor = LiveTexter(base_url, SURVIVOR)
    survivor.send("hello")
    survivor.send("2")
    run_worker(lantern)
    code = case_code(lantern, SURVIVOR)
    claim = page.get_by_role("button", name=f"Claim {code}")
    expect(claim).to_be_visible()  # arrived by itself
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.get_by_role("row", name=code)).to_contain_text("URGENT")
    expect(page).to_have_title("(1) Queue · Lantern console")

    claim.focus()
    page.keyboard.press("Enter")  # usable by keyboard
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    expect(page.get_by_text(f"{code} is yours.")).to_be_visible()
    expect(page.get_by_text("••• 0180")).to_be_visible()
    run_worker(lantern)
    assert twilio_api.to(SURVIVOR) == ["Hi, this is Alexis, an advocate. I'm here with you now."]

    page.get_by_role("button", name="Are you safe?").click()  # a canned reply, into the box to edit
    reply_box = page.get_by_label("Reply to them")
    expect(reply_box).to_have_value("Are you somewhere safe right now? You can answer yes or no.")
    reply_box.fill("Are you somewhere safe right now?")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".transcript .by-advocate").last).to_contain_text("Are you somewhere safe right now?")
    run_worker(lantern)
    assert twilio_api.to(SURVIVOR)[-1] == "Are you somewhere safe right now?"

    page.evaluate("window.stillTheSamePage = true")
    assert survivor.send("yes, at a friend's place") == []
    expect(page.locator(".transcript .by-survivor p").last).to_have_text("yes, at a friend's place")
    assert page.evaluate("window.stillTheSamePage") is True

    page.get_by_text(f"Close {code}…").click()
    page.get_by_role("button", name=f"Yes, close {code}").click()
    expect(page.get_by_text(f"Closed {code}.")).to_be_visible()
    expect(page.get_by_text("You hold no conversation.")).to_be_visible()
    run_worker(lantern)
    assert twilio_api.to(SURVIVOR)[-1].startswith("This conversation is closed.")
    events = [(e.event, e.code) for e in lantern.stores.audit.entries(advocate="alexis rivera")]
    assert ("claim", code) in events and ("reply", code) in events and ("close", code) in events


def test_a_wrong_password_is_refused_and_audited(live, page):
    from playwright.sync_api import expect

    base_url, lantern = live
    sign_in(page, base_url, "Alexis Rivera", "not the passphrase at all")
    expect(page.get_by_role("alert")).to_have_text(
        "That name and password don't match an advocate. Check both and try again.")
    expect(page.get_by_label("Password")).to_have_value("")
    [failure] = [e for e in lantern.stores.audit.entries() if e.event == "sign-in failed"]
    assert failure.advocate == "alexis rivera" and failure.detail.startswith("wrong password")


def test_a_post_without_the_csrf_token_is_refused(live, page):
    base_url, lantern = live
    sign_in(page, base_url, "Alexis Rivera")
    LiveTexter(base_url, SURVIVOR).send("hello")
    LiveTexter(base_url, SURVIVOR).send("2")
    code = case_code(lantern, SURVIVOR)
    response = page.request.post(f"{base_url}/console/claim/{code}", form={"nothing": "here"})  # the session's cookie
    assert response.status == 400 and "nothing was done" in response.text()
    assert lantern.stores.store.get(lantern.stores.store.conversation_key(SURVIVOR)).advocate is None


def test_a_signed_out_session_cookie_no_longer_works(live, page):
    from playwright.sync_api import expect

    base_url, _ = live
    sign_in(page, base_url, "Alexis Rivera")
    expect(page.get_by_role("heading", name="Waiting for an advocate")).to_be_visible()
    copied = page.context.cookies()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You're signed out.")).to_be_visible()
    page.context.clear_cookies()
    page.context.add_cookies(copied)  # put the old cookie back, as someone who copied it would
    page.goto(base_url + "/console/")
    expect(page).to_have_url(f"{base_url}/console/login?next=/console/?")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_screenshots_of_the_queue_and_a_conversation(live, page, tmp_path):
    """Made-up requests and a made-up conversation, for the README."""
    from playwright.sync_api import expect

    base_url, lantern = live
    for number, texts in (("+15555550181", ["hola", "me pega, estoy en Pomona"]),
                          ("+15555550182", ["hi", "1", "1", "Long Beach"]),
                          ("+15555550183", ["hello", "can I talk to someone"])):
        texter = LiveTexter(base_url, number)
        for text in texts:
            texter.send(text)
    survivor = LiveTexter(base_url, SURVIVOR)
    for text in ("hi", "1", "1", "Koreatown"):
        survivor.send(text)
    run_worker(lantern)
    sign_in(page, base_url, "Alexis Rivera")
    expect(page.get_by_role("button", name="Claim")).to_have_count(4)
    screenshot(page, "console-queue.png", tmp_path)

    page.get_by_role("button", name=f"Claim {case_code(lantern, SURVIVOR)}").click()
    page.get_by_label("Reply to them").fill("Hi, I'm Alexis. We can pay for a room tonight. Is a motel near "
                                            "Koreatown okay for you?")
    page.get_by_role("button", name="Send", exact=True).click()
    run_worker(lantern)
    survivor.send("yes please. i can leave after 10")
    page.get_by_label("Add a note").fill("Can leave after 10pm. Asked for a women-only place if possible.")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".transcript .by-survivor p").last).to_have_text("yes please. i can leave after 10")
    screenshot(page, "console-conversation.png", tmp_path)


def test_set_up_a_second_factor_from_its_qr_code_sign_out_and_sign_in_with_a_code(live, page):
    """The secret read off the set-up page (beside its QR code); the codes computed here, as a phone would."""
    import time

    import pyotp
    from playwright.sync_api import expect

    base_url, lantern = live
    sign_in(page, base_url, "Alexis Rivera")
    page.get_by_role("link", name="Second factor").click()
    page.get_by_role("button", name="Set up an authenticator app").click()
    expect(page.locator(".qr-code svg")).to_be_visible()  # drawn on the server: no script, no image service
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code from your app").fill(totp.now())
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your second factor is set up")).to_be_visible()
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("link", name="I have written them down").click()
    expect(page.get_by_role("heading", name="Waiting for an advocate")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You're signed out.")).to_be_visible()
    sign_in(page, base_url, "Alexis Rivera")
    expect(page.get_by_role("heading", name="Your sign-in code")).to_be_visible()
    expect(page).to_have_url(base_url + "/console/login/code")
    time.sleep(30 - time.time() % 30 + 0.5)  # the code of the next step: the confirming one is spent
    page.get_by_label("Code from your app, or a recovery code").fill(totp.now())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Waiting for an advocate")).to_be_visible()
    newest = next(e for e in lantern.stores.audit.entries() if e.event == "sign-in")
    assert newest.detail.endswith("with an authenticator code")
