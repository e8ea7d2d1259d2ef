"""Outreach, reports and the safety plan in the console: supervisors only where it matters, the word never shown."""
from __future__ import annotations

from tests.console.conftest import post, waiting_request


def test_a_supervisor_creates_an_outreach_and_sees_its_codes(signed_in, lantern):
    morgan = signed_in("Morgan Diaz")
    response = post(morgan, "/console/outreach/add", {"name": "Reclaim and Rebuild, Dec 12", "date": "2026-12-12",
                                                      "area": "South LA", "advocate": ["Alexis Rivera", "Sam Okafor"]},
                    token_from="/console/outreach")
    assert response.status_code == 302
    (outreach,) = lantern.stores.outreaches.all()
    page = morgan.get("/console/outreach").get_data(as_text=True)
    assert all(card["code"] in page for card in outreach.cards)
    post(morgan, f"/console/outreach/{outreach.id}/handed-out", {"count": "40"}, token_from="/console/outreach")
    assert lantern.stores.outreaches.get(outreach.id).handed_out == 40


def test_a_bad_outreach_gets_a_clear_line_not_an_error(signed_in, lantern):
    morgan = signed_in("Morgan Diaz")
    post(morgan, "/console/outreach/add", {"name": "x", "date": "12/12/2026", "area": "South LA",
                                           "advocate": "Alexis Rivera"}, token_from="/console/outreach")
    assert "Give the date as YYYY-MM-DD" in morgan.get("/console/outreach").get_data(as_text=True)


def test_outreach_and_reports_are_for_supervisors(signed_in):
    alexis = signed_in("Alexis Rivera")
    for path in ("/console/outreach", "/console/reports", "/console/reports.csv"):
        assert alexis.get(path).status_code == 403


def test_the_safety_word_set_in_the_console_is_never_shown_again(signed_in, lantern, make_texter, work):
    survivor, code = waiting_request(make_texter, work)
    alexis = signed_in("Alexis Rivera")
    post(alexis, f"/console/claim/{code}", token_from=f"/console/c/{code}")
    post(alexis, f"/console/c/{code}/safety-word", {"word": "zanahoria"}, token_from=f"/console/c/{code}")
    page = alexis.get(f"/console/c/{code}").get_data(as_text=True)
    assert "A safety word is set" in page and "zanahoria" not in page.lower()
    assert "zanahoria" not in signed_in("Morgan Diaz").get("/console/audit").get_data(as_text=True).lower()
    assert survivor.send("zanahoria!") == ["ok thanks!"]


def test_a_bad_report_range_is_a_clear_line(signed_in):
    morgan = signed_in("Morgan Diaz")
    response = morgan.get("/console/reports.csv?from=2026-12-31&to=2026-12-01")
    assert response.status_code == 400 and "--to comes before --from" in response.get_data(as_text=True)
