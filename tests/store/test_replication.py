"""Acknowledged means replicated: with a replica, a turn's write waits for it (EVALSHA and WAIT in one round
trip) before Twilio's answer; when no replica has it in time the message is spooled as well, and the replay
runs it once. A Redis without replicas pays nothing."""
from __future__ import annotations

import time

import pytest
import redis as redis_lib

from tests.apps import create_app, lantern_of
from config.settings import load_settings
from tests.conftest import ALEXIS, Texter, environ_for, new_sid
from tests.faults import FaultPlan, faulty_redis
from tests.sentinel_servers import SentinelTopology

SURVIVOR = "+15555550151"


@pytest.fixture
def replicated():
    try:
        topology = SentinelTopology.start(replicas=1, sentinels=0)
    except RuntimeError as exc:
        pytest.skip(str(exc))
    yield topology
    topology.stop()


def make_line(url, twilio_api, tmp_path, plan=None, **extra):
    environ = environ_for(url, TWILIO_API_BASE=twilio_api.url, LANTERN_SPOOL_DIR=str(tmp_path / "spool"), **extra)
    app = create_app(load_settings(environ, dotenv=False), faulty_redis(url, plan) if plan else None)
    roster = lantern_of(app).stores.roster
    if roster.by_phone(ALEXIS) is None:
        roster.add("Alexis Rivera", ALEXIS, available=True)
    return app


def spooled(tmp_path) -> list:
    return list((tmp_path / "spool").glob("*.spool"))


def turn_round_trips(app, plan, number: str) -> int:
    survivor = Texter(app.test_client(), number)
    survivor.send("hello")
    plan.arm()
    assert "911" in survivor.send("he hit me")[0]
    return plan.round_trips


def test_a_turn_is_on_the_replica_when_twilio_gets_its_answer_in_the_same_round_trips(replicated, twilio_api,
                                                                                      tmp_path):
    url = f"redis://127.0.0.1:{replicated.primary.port}/0"
    # A wait long enough for a loaded machine's replica: a write it missed is spooled, and the replay then
    # adds round trips to the turn counted (WAIT returns as soon as the replica has it).
    waiting, plan = make_line(url, twilio_api, tmp_path, plan := FaultPlan(), LANTERN_REPLICA_WAIT_MS="2000"), plan
    lantern = lantern_of(waiting)
    assert lantern.stores.store.writer.replicas.wanted()
    with_wait = turn_round_trips(waiting, plan, SURVIVOR)
    key = lantern.stores.store.conversation_key(SURVIVOR)
    replica = replicated.replicas[0].client()
    assert replica.get(f"lantern:{{{key}}}:version") == lantern.stores.redis.get(f"lantern:{{{key}}}:version")
    assert lantern.stores.redis.info("commandstats")["cmdstat_wait"]["calls"] >= 2
    never_waits = make_line(url, twilio_api, tmp_path, plan, LANTERN_REPLICA_WAIT_MS="0")
    assert with_wait == turn_round_trips(never_waits, plan, "+15555550152")  # WAIT rides with the script
    assert not spooled(tmp_path)


def test_a_write_no_replica_confirms_is_answered_spooled_and_replayed_once(replicated, twilio_api, tmp_path):
    url = f"redis://127.0.0.1:{replicated.primary.port}/0"
    app = make_line(url, twilio_api, tmp_path, LANTERN_REPLICA_WAIT_MS="100")
    lantern, survivor = lantern_of(app), Texter(app.test_client(), SURVIVOR)
    survivor.send("hello")
    replicated.replicas[0].process.kill()
    replicated.replicas[0].process.wait(5)
    started = time.monotonic()
    reply = survivor.send("he has a gun", sid=new_sid())
    assert "911" in reply[0] and time.monotonic() - started < 3  # the real reply, not the safety message
    assert spooled(tmp_path)  # and kept, in case the primary dies before any replica has it
    lantern.intake.replay()
    assert not spooled(tmp_path)
    key = lantern.stores.store.conversation_key(SURVIVOR)
    said = [e["text"] for e in lantern.stores.store.transcript(key) if e["by"] == "survivor"]
    assert said == ["hello", "he has a gun"]  # the replay found its MessageSid: nothing ran twice


def test_a_redis_without_replicas_never_waits(redis_url, twilio_api, tmp_path):
    if redis_url is None:
        pytest.skip("needs a Redis server")
    redis_lib.Redis.from_url(redis_url).flushdb()
    redis_lib.Redis.from_url(redis_url).config_resetstat()
    app = make_line(redis_url, twilio_api, tmp_path)
    lantern, survivor = lantern_of(app), Texter(app.test_client(), SURVIVOR)
    survivor.send("hello"), survivor.send("can I talk to someone")
    assert not lantern.stores.store.writer.replicas.wanted()
    assert "cmdstat_wait" not in lantern.stores.redis.info("commandstats")
    lantern.stores.redis.flushdb()


def test_sentinel_always_waits_unless_the_wait_is_zero(twilio_api, tmp_path):
    sentinels = {"REDIS_SENTINELS": "127.0.0.1:1", "REDIS_SENTINEL_MASTER": "lantern"}
    from wiring import replica_wait

    settings = load_settings(environ_for(None, **sentinels), dotenv=False)
    assert replica_wait(settings, redis_lib.Redis(port=1)).wanted()
    settings = load_settings(environ_for(None, LANTERN_REPLICA_WAIT_MS="0", **sentinels), dotenv=False)
    assert replica_wait(settings, redis_lib.Redis(port=1)) is None


def test_a_message_marked_sent_is_on_a_replica_before_the_send_job_goes_on(replicated):
    """A page Twilio took is recorded as sent on a replica before its job moves on: a primary lost just then
    leaves a new primary that knows it went, so the job, run again after the failover, pages nobody twice."""
    import os
    import signal

    from config.settings import new_data_key
    from store.crypto import Cipher
    from store.outbox import Outbox
    from store.replication import ReplicaWait

    primary, replica_node = replicated.primary.client(), replicated.replicas[0]
    outbox = Outbox(primary, Cipher((new_data_key(),)), 3600, ReplicaWait(primary, 1500, always=False))
    message = outbox.create("page", "+15555550120", "URGENT K7Q2")
    outbox.mark(message, "queued", twilio_sid="SM" + "1" * 32)
    assert outbox.__class__(replica_node.client(), outbox.cipher, 3600).get(message.id).status == "queued"
    os.kill(replica_node.process.pid, signal.SIGSTOP)  # a replica that can't confirm: the mark waits for it
    try:
        started = time.monotonic()
        outbox.mark(message, "delivered")
        waited = time.monotonic() - started
    finally:
        os.kill(replica_node.process.pid, signal.SIGCONT)
    assert 1.4 <= waited < 5
