"""Role checks on the server: supervisors' pages and actions, and others' conversations read-only."""
from __future__ import annotations

import pytest

from tests.console.conftest import SURVIVOR, post, waiting_request

SUPERVISOR_ACTIONS = [
    ("get", "/console/roster", None),
    ("get", "/console/audit", None),
    ("post", "/console/roster/add", {"name": "Jordan Vale", "phone": "+12135550105", "role": "supervisor"}),
    ("post", "/console/roster/sam okafor/toggle", {"field": "on_call", "value": "on"}),
    ("post", "/console/roster/sam okafor/remove", {}),
    ("post", "/console/shelters/harbor-house", {"beds": "4", "takes": "women", "languages": "en"}),
]


@pytest.mark.parametrize("method, path, form", SUPERVISOR_ACTIONS)
def test_advocates_are_refused_supervisor_actions(signed_in, lantern, method, path, form):
    client = signed_in("Alexis Rivera")
    response = client.get(path) if method == "get" else post(client, path, form)
    assert response.status_code == 403 and "Only supervisors" in response.get_data(as_text=True)
    assert len(lantern.stores.roster.all()) == 4 and lantern.stores.roster.named("Sam Okafor").on_call is False
    assert not lantern.stores.shelters.available_tonight()


@pytest.mark.parametrize("method, path, form", SUPERVISOR_ACTIONS)
def test_supervisors_may(signed_in, method, path, form):
    client = signed_in("Morgan Diaz")
    response = client.get(path) if method == "get" else post(client, path, form)
    assert response.status_code in (200, 302)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/console/roster")
    assert response.status_code == 302 and response.headers["Location"].startswith("/console/login?next=")


def test_anothers_conversation_is_read_only_and_the_view_is_audited(signed_in, make_texter, work, lantern,
                                                                   twilio_api):
    survivor, code = waiting_request(make_texter, work)
    alexis, sam = signed_in("Alexis Rivera"), signed_in("Sam Okafor")
    post(alexis, f"/console/claim/{code}")
    page = sam.get(f"/console/c/{code}").get_data(as_text=True)
    assert "read-only" in page and "it is with Alexis" in page
    assert 'id="reply"' not in page and "Release to the queue" not in page and "Add a note" not in page
    [view] = [e for e in lantern.stores.audit.entries(code=code) if e.event == "view"]
    assert (view.advocate, view.detail) == ("sam okafor", "read-only, held by alexis rivera")

    work()
    sent_before = len(twilio_api.sent)
    token_page = f"/console/c/{code}"
    post(sam, f"/console/c/{code}/reply", {"text": "hi"}, token_page)
    assert "isn&#39;t yours" in sam.get(token_page).get_data(as_text=True)
    post(sam, f"/console/c/{code}/close", {}, token_page)
    post(sam, f"/console/c/{code}/release", {}, token_page)
    post(sam, f"/console/c/{code}/transfer", {"to": "sam okafor"}, token_page)
    assert post(sam, f"/console/c/{code}/note", {"text": "mine now"}, token_page).status_code == 403
    work()
    assert len(twilio_api.sent) == sent_before  # nothing to the survivor, no handover summary to Sam
    conv = lantern.stores.store.get(lantern.stores.store.conversation_key(SURVIVOR))
    assert conv.advocate == "alexis rivera" and conv.state == "with_advocate"
    assert not [e for e in lantern.stores.store.transcript(conv.key) if e["by"] in ("advocate", "note")]
