"""Supervisors block and unblock a number from its conversation page; advocates can't."""
from __future__ import annotations

from tests.console.conftest import post, waiting_request


def test_a_supervisor_blocks_from_the_conversation_and_unblocks_from_the_blocks_page(signed_in, make_texter, work,
                                                                                    lantern, twilio_api):
    texter, code = waiting_request(make_texter, work)
    morgan = signed_in("Morgan Diaz")
    page = morgan.get(f"/console/c/{code}").get_data(as_text=True)
    assert "Block this number" in page
    answer = post(morgan, f"/console/c/{code}/block", {"duration": "24h"}, token_from=f"/console/c/{code}")
    assert answer.status_code == 302
    assert "blocked until" in morgan.get(f"/console/c/{code}").get_data(as_text=True)
    twilio_api.reset()
    assert texter.send("help me") == [lantern.safety_message]
    work()
    assert twilio_api.sent == []
    listing = morgan.get("/console/blocks").get_data(as_text=True)
    assert code in listing and "0170" not in listing
    post(morgan, f"/console/c/{code}/unblock", {"back": "blocks"}, token_from="/console/blocks")
    assert "No number is blocked." in morgan.get("/console/blocks").get_data(as_text=True)
    events = [(e.event, e.via, e.advocate) for e in lantern.stores.audit.entries(code=code) if e.event != "view"][:2]
    assert events == [("unblock", "console", "morgan diaz"), ("block", "console", "morgan diaz")]


def test_an_advocate_who_is_not_a_supervisor_cannot_block(signed_in, make_texter, work, lantern):
    _, code = waiting_request(make_texter, work)
    alexis = signed_in("Alexis Rivera")
    assert "Block this number" not in alexis.get(f"/console/c/{code}").get_data(as_text=True)
    answer = post(alexis, f"/console/c/{code}/block", {"duration": "forever"}, token_from=f"/console/c/{code}")
    assert answer.status_code == 403
    assert lantern.blocking.blocks.all() == []
