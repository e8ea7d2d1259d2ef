"""The store's contract, on the real Redis and on the embedded (fakeredis) default alike."""
from __future__ import annotations

from datetime import timedelta

import fakeredis
import pytest
import redis as redis_lib

from bot.conversation import Conversation, Inbound, Outcome, Priority, RequestAdvocate, WithdrawRequest
from config.settings import new_data_key
from bot.errors import ConversationChanged
from store.crypto import Cipher
from store.exceptions import CaseCodeTaken
from store.keys import HANDOFF_QUEUE, key_for, message_sid_key
from store.redis_store import MESSAGE_SID_TTL, RedisStore

KEY = new_data_key()


@pytest.fixture(params=["redis", "embedded"])
def store(request, redis_url):
    if request.param == "redis" and redis_url is None:
        pytest.skip("no Redis server for the tests")
    client = redis_lib.Redis.from_url(redis_url) if request.param == "redis" else fakeredis.FakeRedis()
    client.flushdb()
    yield RedisStore(client, Cipher((KEY,)), b"lookup", timedelta(days=30))
    client.flushdb()


def request(store: RedisStore, name: str, priority: Priority, at: float) -> Conversation:
    conv = Conversation(key=store.conversation_key(name), address=name, state="waiting", priority=priority,
                        requested_at=at, updated_at=at)
    for _ in range(5):  # a case code already held makes the write do nothing: the service runs it again
        conv.case_code = None
        outcome = Outcome(conv, ["ok"], [RequestAdvocate(priority)], "text", "new")
        write = store.begin(conv)
        store.write_turn(write, outcome, Inbound(f"SM{name[-4:]}{int(at)}", name, "words"), at)
        try:
            assert store.apply(write)
        except CaseCodeTaken:
            continue
        return store.get(conv.key)
    raise AssertionError("five case codes in a row were taken")


def test_queue_is_urgent_then_high_then_normal_and_oldest_first(store):
    request(store, "+15555550161", Priority.NORMAL, 100)
    request(store, "+15555550162", Priority.HIGH, 300)
    request(store, "+15555550163", Priority.URGENT, 400)
    request(store, "+15555550164", Priority.HIGH, 200)
    order = [(c.address[-2:], c.priority.value) for c in store.waiting_requests()]
    assert order == [("63", "URGENT"), ("64", "HIGH"), ("62", "HIGH"), ("61", "NORMAL")]


def test_raised_priority_keeps_its_original_wait(store):
    request(store, "+15555550165", Priority.URGENT, 200)
    late = request(store, "+15555550166", Priority.NORMAL, 100)
    late.priority = Priority.URGENT
    store.save(late, effects=(RequestAdvocate(Priority.URGENT),))
    assert [c.address for c in store.waiting_requests()] == ["+15555550166", "+15555550165"]


def test_withdrawn_and_expired_requests_leave_the_queue(store):
    gone = request(store, "+15555550167", Priority.HIGH, 100)
    withdrawn = request(store, "+15555550168", Priority.NORMAL, 100)
    store.redis.delete(key_for(gone.key, "state"))  # as if retention ran out
    store.save(withdrawn, effects=(WithdrawRequest(),))
    assert store.waiting_requests() == []
    assert store.redis.zcard(HANDOFF_QUEUE) == 0


def test_case_codes_are_unique_and_lead_back(store):
    convs = [request(store, f"+1555550{i:04d}", Priority.NORMAL, 100) for i in range(200)]
    codes = {c.case_code for c in convs}
    assert len(codes) == 200 and all(len(c) == 4 for c in codes)
    assert store.conversation_for_code(convs[7].case_code.lower()) == convs[7].key


def test_a_taken_case_code_makes_the_write_do_nothing(store):
    first = request(store, "+15555550172", Priority.NORMAL, 100)
    conv = Conversation(key=store.conversation_key("+15555550173"), address="+15555550173")
    write = store.begin(conv)
    store.write_state(write, conv)
    write.reserve(f"lantern:case:{first.case_code}")
    with pytest.raises(CaseCodeTaken):
        store.apply(write)
    assert store.get(conv.key) is None and store.conversation_for_code(first.case_code) == first.key


def test_retention_and_claim_lifetimes(store):
    conv = request(store, "+15555550169", Priority.NORMAL, 100)
    thirty_days = 30 * 24 * 3600
    assert thirty_days - 10 < store.redis.ttl(key_for(conv.key, "state")) <= thirty_days
    assert thirty_days - 10 < store.redis.ttl(key_for(conv.key, "log")) <= thirty_days
    assert store.redis.ttl(message_sid_key(conv.key, "SM0169100")) > 47 * 3600
    assert MESSAGE_SID_TTL >= 48 * 3600


def test_a_write_from_a_stale_read_changes_nothing(store):
    conv = request(store, "+15555550174", Priority.NORMAL, 100)
    stale, fresh = store.get(conv.key), store.get(conv.key)
    fresh.area = "Pinewood Heights"
    store.save(fresh, "changed first")
    stale.area = "somewhere else"
    with pytest.raises(ConversationChanged):
        store.save(stale, "changed second")
    assert store.get(conv.key).area == "Pinewood Heights"
    assert [e["text"] for e in store.transcript(conv.key) if e["by"] == "event"] == ["changed first"]


def test_old_data_key_still_reads_after_rotation(store):
    conv = request(store, "+15555550170", Priority.NORMAL, 100)
    rotated = RedisStore(store.redis, Cipher((new_data_key(), KEY)), b"lookup", timedelta(days=30))
    assert rotated.get(conv.key).address == "+15555550170"


def test_every_key_of_a_conversation_shares_its_hash_tag(store):
    conv = request(store, "+15555550171", Priority.NORMAL, 100)
    keys = [k.decode() for k in store.redis.scan_iter(f"lantern:{{{conv.key}}}*")]
    assert len(keys) == 4 and all(k.startswith(f"lantern:{{{conv.key}}}:") for k in keys)
