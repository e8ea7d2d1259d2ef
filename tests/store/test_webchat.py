"""The web chat's keys on a real Redis: the tab's inbox, its cursor, the visit, the counters."""
from __future__ import annotations

import pytest

from store.keys import key_for
from store.webchat import BadCursor

CONV = "0123456789abcdef0123456789abcdef"


def test_messages_come_in_order_after_a_cursor_and_are_encrypted(lantern, raw_redis):
    chats = lantern.stores.web_chats
    first, second = chats.deliver(CONV, [("you", "hola", ""), ("advocate", "Estoy aquí", "Sam")])
    assert [e.text for e in chats.since(CONV, None)] == ["hola", "Estoy aquí"]
    assert chats.since(CONV, first.id) == [second] and second.name == "Sam"
    raw = b"".join(v for _, fields in raw_redis.xrange(key_for(CONV, "inbox")) for v in fields.values())
    assert b"hola" not in raw and "aquí".encode() not in raw


def test_a_cursor_still_works_after_delete_empties_the_inbox(lantern):
    chats = lantern.stores.web_chats
    for _ in range(50):  # within one millisecond, too
        [old] = chats.deliver(CONV, [("bot", "before", "")])
        chats.clear(CONV)
        [new] = chats.deliver(CONV, [("bot", "after", "")])
        assert chats.since(CONV, old.id) == [new]
        chats.clear(CONV)


def test_a_cursor_that_is_not_an_id_is_refused(lantern):
    with pytest.raises(BadCursor):
        lantern.stores.web_chats.since(CONV, "0-0 + ")


def test_end_removes_the_inbox_and_is_remembered(lantern, raw_redis):
    chats = lantern.stores.web_chats
    chats.deliver(CONV, [("bot", "hello", "")])
    chats.touch(CONV, 1000.0)
    chats.end(CONV)
    assert chats.ended(CONV) and chats.since(CONV, None) == [] and chats.seen_at(CONV) == 1000.0
    assert raw_redis.ttl(key_for(CONV, "visit")) > 0  # kept only as long as the conversation


def test_counters_count_per_window_and_hold_no_address(lantern, raw_redis):
    chats = lantern.stores.web_chats
    name = chats.address_name("203.0.113.7")
    assert [chats.count("address", name, 60, 120.0) for _ in range(3)] == [1, 2, 3]
    assert chats.count("address", name, 60, 180.0) == 1  # the next minute starts again
    assert not [k for k in raw_redis.keys("*") if b"203.0.113" in k]
