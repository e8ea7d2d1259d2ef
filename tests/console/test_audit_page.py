"""The audit page: supervisors filter the stream by advocate and by case code."""
from __future__ import annotations

import pytest

from tests.console.conftest import post, waiting_request


def test_supervisor_filters_by_advocate_and_code(signed_in, make_texter, work):
    _, first = waiting_request(make_texter, work, "+15555550171")
    _, second = waiting_request(make_texter, work, "+15555550172")
    alexis, sam = signed_in("Alexis Rivera"), signed_in("Sam Okafor")
    post(alexis, f"/console/claim/{first}")
    post(sam, f"/console/claim/{second}")
    morgan = signed_in("Morgan Diaz")
    by_sam = morgan.get("/console/audit?advocate=sam+okafor").get_data(as_text=True)
    assert second in by_sam and first not in by_sam and "Alexis Rivera" not in by_sam.split("<tbody>")[1]
    by_code = morgan.get(f"/console/audit?code={first.lower()}").get_data(as_text=True).split("<tbody>")[1]
    assert "claim" in by_code and "Alexis Rivera" in by_code and second not in by_code
    nothing = morgan.get("/console/audit?code=ZZZZ").get_data(as_text=True)
    assert "Nothing recorded for this filter." in nothing


def test_roster_changes_on_the_console_are_audited(signed_in, lantern):
    morgan = signed_in("Morgan Diaz")
    post(morgan, "/console/roster/add", {"name": "Jordan Vale", "phone": "(213) 555-0105", "role": "advocate",
                                         "available": "on"}, "/console/roster")
    post(morgan, "/console/roster/jordan vale/toggle", {"field": "on_call", "value": "on"}, "/console/roster")
    post(morgan, "/console/roster/jordan vale/remove", {}, "/console/roster")
    details = [e.detail for e in lantern.stores.audit.entries(advocate="morgan diaz") if e.event == "roster"]
    assert details == ["removed jordan vale", "jordan vale: on call on", "added jordan vale (advocate)"]
    assert lantern.stores.roster.get("jordan vale") is None


@pytest.mark.parametrize("path, form, reason", [
    ("/console/roster/add", {"name": "Jordan Vale", "phone": "not a number", "role": "advocate"},
     "Not added: That is not a phone number"),
    ("/console/roster/add", {"name": "Jordan Vale", "phone": "+12135550105", "role": "boss"}, "Choose a role"),
    ("/console/roster/add", {"name": "Sam  Okafor", "phone": "+12135550105", "role": "advocate"},
     "Sam Okafor is already on the roster."),
    ("/console/roster/morgan diaz/remove", {}, "You can&#39;t remove yourself here"),
    ("/console/roster/nobody/toggle", {"field": "available", "value": "on"}, "No advocate named nobody."),
    ("/console/roster/sam okafor/toggle", {"field": "role", "value": "on"}, "Only available and on call"),
])
def test_bad_roster_input_gets_the_reason_not_an_error_page(signed_in, lantern, path, form, reason):
    morgan = signed_in("Morgan Diaz")
    assert post(morgan, path, form, "/console/roster").status_code == 302
    page = morgan.get("/console/roster").get_data(as_text=True)
    assert reason in page and len(lantern.stores.roster.all()) == 4
    assert "2135550101" not in page and "••• 0101" in page
