"""The turn's scripts on the thread's own connection: they reach the Redis the client names (through Sentinel,
the primary, before and after a failover), a round trip broken half-way leaves nothing for the next one,
a script Redis lost is loaded again, and a forked process never shares the parent's socket."""
from __future__ import annotations

import multiprocessing
import time

import pytest
import redis as redis_lib

from config.redis_location import RedisLocation
from store.connection import connect
from store.script_call import ScriptCall, ThreadConnections
from tests.faults import FaultPlan, InjectedFault, faulty_redis
from tests.sentinel_servers import MASTER_NAME, SentinelTopology

# Writes its argument under its key and answers with what the key held before.
_SWAP = "local old = redis.call('GET', KEYS[1]); redis.call('SET', KEYS[1], ARGV[1]); return old"


def _swap(redis, key: bytes = b"lantern-test:swap") -> ScriptCall:
    call = ScriptCall(ThreadConnections(redis), redis, _SWAP)
    return lambda value: call([key], [value])


@pytest.fixture
def plain(redis_url):
    if redis_url is None:
        pytest.skip("needs a Redis server")
    client = redis_lib.Redis.from_url(redis_url)
    client.delete("lantern-test:swap")
    yield client
    client.delete("lantern-test:swap")


def test_through_sentinel_the_script_runs_on_the_primary_and_follows_a_failover():
    try:
        topology = SentinelTopology.start(replicas=1, sentinels=3)
    except RuntimeError as exc:
        pytest.skip(str(exc))
    try:
        location = RedisLocation(sentinels=tuple(("127.0.0.1", node.port) for node in topology.sentinels),
                                 sentinel_master=MASTER_NAME)
        swap = _swap(connect(location))
        assert swap(b"one") is None
        assert topology.primary.client().get("lantern-test:swap") == b"one"  # the primary, not a default address
        assert topology.primary.client().execute_command("WAIT", 1, 5000) == 1  # the replica has it too
        old = topology.kill_primary()
        new = topology.wait_failover(old)
        # The dead primary's connection fails and is closed; the next reaches the new one once the sentinels
        # name it to every client (a few tries; under load, up to some seconds).
        deadline = time.monotonic() + 15
        while True:
            try:
                answer = swap(b"two")
                break
            except redis_lib.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert answer == b"one"  # the replica had it; the script was loaded there (a new primary has none)
        assert redis_lib.Redis(port=new).get("lantern-test:swap") == b"two"
    finally:
        topology.stop()


def test_a_round_trip_broken_after_sending_leaves_no_reply_for_the_next(redis_url, plain):
    plan = FaultPlan()
    swap = _swap(faulty_redis(redis_url, plan))
    swap(b"first")
    plan.arm(fail_at=1, after_send=True)  # it ran in Redis; its reply never came back
    with pytest.raises(InjectedFault):
        swap(b"second")
    assert swap(b"third") == b"second"  # its own reply, not the one the broken round trip left unread
    assert plain.get("lantern-test:swap") == b"third"


def test_a_script_redis_no_longer_holds_is_loaded_again(plain):
    swap = _swap(plain)
    swap(b"first")
    plain.script_flush()  # as a restart does
    assert swap(b"second") == b"first"


def _child(swap, out) -> None:
    out.put(swap(b"child"))


def test_a_forked_process_makes_its_own_connection(plain):
    swap = _swap(plain)
    swap(b"parent")  # the parent's connection is open now
    out = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(target=_child, args=(swap, out))
    child.start()
    child.join(10)
    assert child.exitcode == 0 and out.get(timeout=1) == b"parent"
    assert swap(b"again") == b"child"  # the parent's socket still carries its own replies
