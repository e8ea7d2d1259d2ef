"""Blocking a number by case code (`flask --app app block …`): the line answers it with the safety message
only, never pages, keeps it out of the queue, and records the block by keyed hash in the audit."""
from __future__ import annotations

import pytest

from tests.conftest import ALEXIS, SAM
from tests.console.conftest import waiting_request

HARASSER = "+15555550150"


@pytest.fixture
def block(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["block", *args])


def test_a_blocked_number_gets_only_the_safety_message_and_never_pages(block, make_texter, roster, work, lantern,
                                                                       twilio_api, raw_redis):
    texter, code = waiting_request(make_texter, work, HARASSER)
    twilio_api.reset()
    result = block("add", code.lower(), "--for", "30d")
    assert result.exit_code == 0 and f"Blocked {code} for 30 days" in result.output
    assert code not in [c.case_code for c in lantern.stores.store.waiting_requests()]  # out of the queue at once
    for text in ("he has a gun", "talk to a person", "2"):
        assert texter.send(text) == [lantern.safety_message]
    work()
    assert twilio_api.to(ALEXIS) == [] and twilio_api.to(SAM) == []  # not one page
    assert lantern.stores.store.waiting_requests() == []
    words = [e["text"] for e in lantern.stores.store.transcript(texter_key(lantern))]
    assert "he has a gun" in words  # kept, marked, for a supervisor who blocked by mistake
    keys = b" ".join(raw_redis.keys("*"))
    assert b"5555550150" not in keys and lantern.stores.store.conversation_key(HARASSER).encode() in keys
    assert [e.event for e in lantern.stores.audit.entries(code=code)][0] == "block"


def texter_key(lantern) -> str:
    return lantern.stores.store.conversation_key(HARASSER)


def test_list_shows_codes_never_numbers_and_remove_lets_them_through_again(block, make_texter, roster, work, lantern):
    texter, code = waiting_request(make_texter, work, HARASSER, danger=False)
    assert block("add", code, "--for", "forever").exit_code == 0
    listing = block("list").output
    assert code in listing and "for good" in listing and "5555550150" not in listing and "0150" not in listing
    assert block("remove", code).exit_code == 0
    assert block("list").output.strip() == "No number is blocked."
    assert texter.send("hello") != [lantern.safety_message]
    assert [e.event for e in lantern.stores.audit.entries(code=code)][:2] == ["unblock", "block"]


def test_stop_from_a_blocked_number_is_still_honoured(block, make_texter, roster, work, lantern):
    texter, code = waiting_request(make_texter, work, HARASSER)
    block("add", code, "--for", "24h")
    texter.send("STOP")
    assert lantern.stores.store.is_opted_out(texter_key(lantern))


@pytest.mark.parametrize("args, message", [
    (("add", "ZZZZ", "--for", "30d"), "No conversation ZZZZ"),
    (("remove", "ZZZZ"), "No conversation ZZZZ"),
])
def test_a_wrong_code_exits_1_with_one_line(block, args, message):
    result = block(*args)
    assert result.exit_code == 1 and message in result.output


def test_a_block_length_other_than_24h_30d_or_forever_is_refused(block):
    result = block("add", "K7Q2", "--for", "7d")
    assert result.exit_code == 2 and "24h" in result.output
