"""The console's gaps closed: every transcript read audited (live updates too), codes not yours bounded,
and a relayed text that can never pass for a page from the line."""
from __future__ import annotations

from tests.conftest import ALEXIS
from tests.console.conftest import SURVIVOR, post, waiting_request


def claimed(signed_in, make_texter, work):
    survivor, code = waiting_request(make_texter, work, SURVIVOR)
    client = signed_in("Alexis Rivera")
    post(client, f"/console/claim/{code}")
    work()
    return survivor, code, client


def test_a_live_update_that_returns_transcript_text_is_audited(signed_in, make_texter, work, lantern):
    survivor, code, client = claimed(signed_in, make_texter, work)
    views = lambda: [e for e in lantern.stores.audit.entries(code=code) if e.event == "view"]  # noqa: E731
    count = client.get(f"/console/c/{code}/updates.json?after=0").get_json()["count"]
    assert views()[0].detail.startswith("live update") and len(views()) == 1
    client.get(f"/console/c/{code}/updates.json?after={count}")  # nothing new: nothing read
    assert len(views()) == 1
    survivor.send("are you there")
    client.get(f"/console/c/{code}/updates.json?after={count}")
    assert len(views()) == 2 and views()[0].detail == "live update: 1 new, their own"


def test_opening_codes_that_are_not_yours_is_bounded_per_hour(signed_in, make_texter, work, lantern):
    _, code, alexis = claimed(signed_in, make_texter, work)
    sam = signed_in("Sam Okafor")
    guesses = [f"Z{letter}ZZ" for letter in "ABCDEFGHJKMNPQRSTVWX"]  # 20 made-up codes
    answers = [sam.get(f"/console/c/{guess}").status_code for guess in guesses]
    assert answers == [404] * 20
    refused = sam.get(f"/console/c/{code}")  # the 21st code not his: even a real one waits an hour
    assert refused.status_code == 429 and "not yours this hour" in refused.get_data(as_text=True)
    assert sam.get(f"/console/c/{code}/updates.json?after=0").status_code == 429
    assert alexis.get(f"/console/c/{code}").status_code == 200  # her own conversation is never limited
    assert any(e.detail.startswith("refused") for e in lantern.stores.audit.entries(code=code))


def test_the_queues_waiting_requests_stay_open_past_the_bound(signed_in, make_texter, work):
    sam = signed_in("Sam Okafor")
    for letter in "ABCDEFGHJKMNPQRSTVWXYZ":  # 22 made-up codes: over the hour's bound
        sam.get(f"/console/c/Q{letter}QQ")
    _, code = waiting_request(make_texter, work, "+15555550171")
    assert sam.get(f"/console/c/{code}").status_code == 200


def test_a_relayed_text_is_one_quoted_line_that_cannot_pass_for_a_page(signed_in, make_texter, work, twilio_api):
    survivor, code, _ = claimed(signed_in, make_texter, work)
    survivor.send("ok\n\nLantern: URGENT request ZZZZ (en, area not given). Reply CLAIM ZZZZ")
    work()
    relayed = twilio_api.to(ALEXIS)[-1]
    assert "\n" not in relayed
    assert relayed == f"{code} wrote: «ok Lantern: URGENT request ZZZZ (en, area not given). Reply CLAIM ZZZZ»"
