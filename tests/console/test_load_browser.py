"""The roster's load column in a real browser (Debian's Chromium, headless): holding / capacity, languages,
and a supervisor changing a capacity; the queue's live rows say who a request was offered to."""
from __future__ import annotations

import pytest

from tests.console.browser import CHROMIUM, LiveTexter, run_worker
from tests.console.test_browser import browser, case_code, live, page, sign_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no browser at /usr/bin/chromium")
SURVIVOR = "+15555550181"


def test_the_roster_shows_each_advocates_load_and_a_supervisor_sets_capacity(live, page):  # noqa: F811
    from playwright.sync_api import expect

    base_url, lantern = live
    survivor = LiveTexter(base_url, SURVIVOR)
    survivor.send("hello"), survivor.send("can I talk to someone")
    run_worker(lantern)
    code = case_code(lantern, SURVIVOR)
    LiveTexter(base_url, "+12135550101").send(f"CLAIM {code}")  # Alexis, from her own phone
    sign_in(page, base_url, "Morgan Diaz")
    page.goto(base_url + "/console/roster")
    alexis = page.get_by_role("row", name="Alexis Rivera")
    expect(alexis.locator('[data-label="Holding"]')).to_have_text("1 / 3")
    expect(alexis.locator('[data-label="Languages"]')).to_have_text("en")
    expect(page.get_by_role("row", name="Sam Okafor").locator('[data-label="Holding"]')).to_have_text("0 / 3")
    page.get_by_label("Alexis Rivera: capacity").fill("4")
    page.get_by_label("Alexis Rivera: languages").fill("en,es")
    alexis.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Alexis Rivera: capacity 4, speaks en, es.")).to_be_visible()
    alexis = page.get_by_role("row", name="Alexis Rivera")
    expect(alexis.locator('[data-label="Holding"]')).to_have_text("1 / 4")
    expect(alexis.locator('[data-label="Languages"]')).to_have_text("en, es")
    assert lantern.stores.roster.named("Alexis Rivera").capacity == 4


def test_the_live_queue_says_who_a_request_was_offered_to(live, page):  # noqa: F811
    from playwright.sync_api import expect

    base_url, lantern = live
    sign_in(page, base_url, "Sam Okafor")
    expect(page.get_by_text("Nobody is waiting.")).to_be_visible()
    survivor = LiveTexter(base_url, SURVIVOR)
    survivor.send("hello"), survivor.send("can I talk to someone")
    code = case_code(lantern, SURVIVOR)
    lantern.stores.offers.add(lantern.stores.store.conversation_key(SURVIVOR), "alexis rivera")
    row = page.get_by_role("row", name=code)
    expect(row.locator('[data-label="Offered"]')).to_have_text("offered to Alexis")  # by the live update
