"""The console: each advocate's load and languages, capacity for supervisors, offers and missed calls in the
queue, the close form's outcome codes."""
from __future__ import annotations

from tests.conftest import ALEXIS
from tests.console.conftest import post, waiting_request
from tests.messaging.test_capacity import ask_for_a_person
from tests.messaging.test_wrapup import report, row

SECOND = "+15555550177"


def test_the_roster_shows_load_and_languages_and_a_supervisor_sets_capacity(make_texter, work, signed_in, lantern):
    _, code = waiting_request(make_texter, work, danger=False)
    make_texter(ALEXIS).send(f"CLAIM {code}")
    supervisor = signed_in("Morgan Diaz")
    page = supervisor.get("/console/roster").get_data(as_text=True)
    assert 'data-load="alexis rivera">1 / 3<' in page and "en" in page
    alexis = lantern.stores.roster.named("Alexis Rivera")
    response = post(supervisor, f"/console/roster/{alexis.id}/capacity", {"capacity": "5", "languages": "en, es"},
                    token_from="/console/roster")
    assert response.status_code == 302
    changed = lantern.stores.roster.named("Alexis Rivera")
    assert (changed.capacity, changed.languages) == (5, ["en", "es"])
    assert 'data-load="alexis rivera">1 / 5<' in supervisor.get("/console/roster").get_data(as_text=True)
    refused = post(supervisor, f"/console/roster/{alexis.id}/capacity", {"capacity": "0", "languages": "en"},
                   token_from="/console/roster")
    assert refused.status_code == 302 and lantern.stores.roster.named("Alexis Rivera").capacity == 5


def test_an_advocate_cannot_set_capacity(make_texter, signed_in, lantern):
    alexis = signed_in("Alexis Rivera")
    response = post(alexis, "/console/roster/alexis rivera/capacity", {"capacity": "9", "languages": "en"})
    assert response.status_code in (302, 403)
    assert lantern.stores.roster.named("Alexis Rivera").capacity == 3


def test_the_queue_marks_a_missed_call_and_says_who_was_offered(make_texter, work, signed_in, lantern):
    from tests.webhooks.test_voice import call

    call(signed_in("Alexis Rivera").application.test_client(), "/webhooks/voice/done", DialCallStatus="no-answer")
    [conv] = lantern.stores.store.waiting_requests()
    lantern.stores.offers.add(conv.key, "sam okafor")
    page = signed_in("Alexis Rivera").get("/console/").get_data(as_text=True)
    assert "missed call, do not text first" in page and "offered to Sam" in page
    rows = signed_in("Alexis Rivera").get("/console/queue.json").get_json()["waiting"]
    assert rows[0]["note"] == "missed call, do not text first" and rows[0]["offered"] == "offered to Sam"
    assert "5555550150" not in page


def test_the_console_close_form_records_the_ticked_codes(app, make_texter, signed_in, lantern):
    _, code, _ = ask_for_a_person(make_texter, SECOND)
    client = signed_in("Alexis Rivera")
    post(client, f"/console/claim/{code}")
    page = client.get(f"/console/c/{code}").get_data(as_text=True)
    assert 'name="outcome" value="safety_plan"' in page
    response = post(client, f"/console/c/{code}/close", {"outcome": ["safety_plan", "not a code"]},
                    token_from=f"/console/c/{code}")
    assert response.status_code == 302
    assert row(report(app, lantern), "Outcome: safety_plan") == "Outcome: safety_plan 1 1"
    reports_page = signed_in("Morgan Diaz").get("/console/reports").get_data(as_text=True)
    assert "Outcome: safety_plan" in reports_page


