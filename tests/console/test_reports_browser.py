"""The reports and outreach pages in a real browser: charts drawn on the server, no CSP violation, cards to print.

Set LANTERN_SCREENSHOTS=docs to refresh docs/console-reports.png.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.console.test_browser import browser, live, page, pytestmark, screenshot, sign_in  # noqa: F401

LA = ZoneInfo("America/Los_Angeles")


def seed(lantern) -> None:
    """Two weeks of invented figures, written as the line writes them (per day, as events happen)."""
    start = datetime(2026, 12, 1, 21, 0, tzinfo=LA)
    for day in range(14):
        at = (start + timedelta(days=day)).timestamp()
        counts = ["contacts.new"] * (6 + day % 5) + ["contacts.returning"] * (2 + day % 3) + ["danger"] * (day % 4)
        counts += ["place.offered"] * 5 + ["place.accepted"] * (day % 3) + ["lang.en"] * 7 + ["lang.es"] * 3
        counts += ["channel.sms"] * 9 + ["channel.whatsapp"] + ["safety_word.used"] * (day % 7 == 3)
        lantern.stores.reports.count(counts, at)
        for minute in (2, 4, 9):
            lantern.stores.reports.first_reply(f"seed-{day}-{minute}", "NORMAL", False, minute * 60, at)
        lantern.stores.reports.first_reply(f"seed-{day}-u", "URGENT", day % 2 == 0, 60 + day * 10, at)
    outreach = lantern.stores.outreaches.create("Reclaim and Rebuild, Dec 12", "2026-12-12", "South LA", ["Alexis Rivera"])
    lantern.stores.outreaches.record_handed_out(outreach.id, 40)
    lantern.stores.reports.count([f"outreach.{outreach.id}.first"] * 6 + [f"outreach.{outreach.id}.later"] * 2,
                          (start + timedelta(days=12)).timestamp())


def test_the_reports_page_draws_its_charts_without_any_script_or_other_origin(live, page, tmp_path):
    base_url, lantern = live
    seed(lantern)
    sign_in(page, base_url, "Morgan Diaz")
    response = page.goto(base_url + "/console/reports?from=2026-12-01&to=2026-12-14")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert page.locator("svg.chart").count() == 4
    assert page.locator("svg.chart rect.bar").count() > 20
    assert page.get_by_role("cell", name="Reclaim and Rebuild, Dec 12").is_visible()
    screenshot(page, "console-reports.png", tmp_path)


def test_printable_cards_hold_the_code_and_the_number_and_no_name_in_discreet_mode(live, page):
    base_url, lantern = live
    outreach = lantern.stores.outreaches.create("Night", "2026-12-12", "South LA", ["Alexis Rivera", "Sam Okafor"])
    sign_in(page, base_url, "Morgan Diaz")
    page.goto(base_url + f"/console/outreach/{outreach.id}/cards")
    cards = page.locator("section.card")
    assert cards.count() == 2
    text = cards.first.inner_text()
    code = outreach.cards[0]["code"]
    assert f"Text {code} to" in text and f"Escribe {code} al" in text and "(555) 555-0199" in text
    for crisis in ("Lantern", "traffick", "crisis", "hotline", "help", "911", "abuse"):
        assert crisis.lower() not in text.lower()
