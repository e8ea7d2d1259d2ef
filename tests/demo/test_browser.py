"""/demo in Chromium: a survivor's phone and an advocate's, the page by the worker, the claim, a reply."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.console.browser import CHROMIUM, CHROMIUM_ARGS, LiveServer, run_worker
from tests.apps import lantern_of

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=(
    "no browser at /usr/bin/chromium: apt-get install chromium chromium-driver (.ci/run does) to run the "
    "demo's browser test"))

DOCS = Path(__file__).resolve().parents[2] / "docs"
TIMEOUT_MS = 10_000


def text_from(page, phone: str, body: str) -> None:
    """Send from one phone, and wait until the line has answered it (so a worker run after sees its jobs)."""
    page.fill(f'[data-phone="{phone}"] input', body)
    with page.expect_response(lambda response: response.url.endswith("/demo/text")) as sent:
        page.press(f'[data-phone="{phone}"] input', "Enter")
    assert sent.value.status == 200


def test_two_phones_text_the_line_and_an_advocate_claims_from_hers(demo_line, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    app, base = demo_line
    lantern = lantern_of(app)
    port = int(base.rsplit(":", 1)[1])
    with LiveServer(app, port), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        page.goto(base + "/demo")
        survivor = page.locator('[data-phone="survivor"] .screen li')
        advocate = page.locator('[data-phone="advocate"] .screen li')
        expect(page.locator('[data-phone="advocate"] h2')).to_contain_text("Alexis Demo")

        text_from(page, "survivor", "hi")
        expect(survivor.nth(1)).to_contain_text("Are you safe to talk?", timeout=TIMEOUT_MS)
        text_from(page, "survivor", "they took my passport and i cant leave")
        expect(survivor).to_have_count(4, timeout=TIMEOUT_MS)
        run_worker(lantern)
        expect(advocate.last).to_contain_text("Lantern: URGENT request", timeout=TIMEOUT_MS)
        code = re.search(r"request (\w{4})", advocate.last.inner_text()).group(1)

        text_from(page, "advocate", f"CLAIM {code}")
        expect(advocate.filter(has_text=f"{code} is yours")).to_have_count(1, timeout=TIMEOUT_MS)
        run_worker(lantern)
        expect(survivor.last).to_have_text("Hi, this is Alexis, an advocate. I'm here with you now.",
                                           timeout=TIMEOUT_MS)
        text_from(page, "advocate", "Are you somewhere safe right now?")
        run_worker(lantern)
        expect(survivor.last).to_have_text("Are you somewhere safe right now?", timeout=TIMEOUT_MS)
        text_from(page, "survivor", "yes at a friends place")
        run_worker(lantern)
        expect(advocate.last).to_have_text(f"{code} wrote: «yes at a friends place»", timeout=TIMEOUT_MS)

        target = (DOCS if os.environ.get("LANTERN_SCREENSHOTS") == "docs" else tmp_path) / "demo.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
        browser.close()
