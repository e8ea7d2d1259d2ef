"""Redis stopped: every text still gets the safety message at once, and nothing is lost. When Redis is
back the spool is replayed in order: the danger pages go out and the transcript holds every message."""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
import redis as redis_lib

from tests.apps import create_app, lantern_of
from config.settings import load_settings
from tests.conftest import ALEXIS, RILEY, SAM, Texter, environ_for, new_sid
from tests.redis_server import free_port

SURVIVOR = "+15555550141"
DURING = ["please help", "he has a gun and he is outside the door", "are you there"]


class DurableRedis:
    """A redis-server of this test's own that writes every command to disk, so it can be killed and
    started again on the same port with what it held."""

    def __init__(self, directory: Path):
        self.port, self.directory, self.process = free_port(), directory, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "DurableRedis":
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis_lib.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                if client.ping():
                    return self
            except redis_lib.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(5)


@pytest.fixture
def durable(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    server = DurableRedis(tmp_path).start()
    yield server
    server.kill()


@pytest.fixture
def line(durable, twilio_api, config_dir, tmp_path):
    environ = environ_for(durable.url, TWILIO_API_BASE=twilio_api.url, LANTERN_SPOOL_DIR=str(tmp_path / "spool"))
    app = create_app(load_settings(environ, dotenv=False))
    lantern = lantern_of(app)
    lantern.stores.roster.add("Alexis Rivera", ALEXIS, available=True)
    lantern.stores.roster.add("Sam Okafor", SAM, available=True)
    lantern.stores.roster.add("Riley Chen", RILEY, on_call=True)
    return app


def run_jobs(lantern):
    from rq import SimpleWorker
    from rq.serializers import JSONSerializer

    SimpleWorker([lantern.messenger.urgent_queue, lantern.queue], connection=lantern.stores.redis,
                 serializer=JSONSerializer, job_class=lantern.job_class).work(burst=True)


def test_messages_sent_while_redis_is_down_are_answered_kept_and_replayed_in_order(durable, line, twilio_api,
                                                                                 tmp_path):
    lantern, survivor = lantern_of(line), Texter(line.test_client(), SURVIVOR)
    survivor.send("hello")
    durable.kill()
    sids = [new_sid() for _ in DURING]
    for text, sid in zip(DURING, sids):
        started = time.monotonic()
        assert survivor.send(text, sid=sid) == [lantern.safety_message]
        assert time.monotonic() - started < 3
    spooled = b"".join(p.read_bytes() for p in (tmp_path / "spool").glob("*.spool"))
    assert b"gun" not in spooled and SURVIVOR.encode() not in spooled  # encrypted on disk
    durable.start()
    # Twilio retries the danger text just as Redis is back: the replay runs first, the retry gets its reply.
    retried = survivor.send(DURING[1], sid=sids[1])
    assert retried != [lantern.safety_message] and "911" in retried[0]
    key = lantern.stores.store.conversation_key(SURVIVOR)
    said = [e["text"] for e in lantern.stores.store.transcript(key) if e["by"] == "survivor"]
    assert said == ["hello", *DURING]  # in order, each once
    assert lantern.stores.store.get(key).priority.value == "URGENT"
    run_jobs(lantern)
    for advocate in (ALEXIS, SAM, RILEY):
        pages = [body for body in twilio_api.to(advocate) if "URGENT" in body]
        assert len(pages) == 1 and "gun" not in pages[0]
    assert not list((tmp_path / "spool").glob("*.spool"))


def test_the_replayer_empties_the_spool_by_itself_once_redis_is_back(durable, line, tmp_path):
    lantern, survivor = lantern_of(line), Texter(line.test_client(), SURVIVOR)
    survivor.send("hello")
    durable.kill()
    assert survivor.send("he hits me") == [lantern.safety_message]
    durable.start()
    key = lantern.stores.store.conversation_key(SURVIVOR)
    said = _wait_for(lambda: [e["text"] for e in lantern.stores.store.transcript(key) if e["by"] == "survivor"], 2)
    assert said == ["hello", "he hits me"]
    assert not list((tmp_path / "spool").iterdir())  # nothing left behind, taken files included
    assert lantern.stores.store.get(key).priority.value == "URGENT"


def test_a_web_chat_message_sent_while_redis_is_down_is_kept_and_replayed(durable, line, tmp_path):
    from tests.chat.conftest import Visitor

    lantern, visitor = lantern_of(line), Visitor(line.test_client())
    visitor.start()
    durable.kill()
    response = visitor.post("he is hurting me")
    assert response.status_code == 200 and response.get_json()["degraded"] is True
    assert lantern.safety_message in response.get_json()["entries"][0]["text"]
    durable.start()
    said = _wait_for(lambda: [e["text"] for e in lantern.stores.store.transcript(visitor.conv_key) if e["by"] == "survivor"], 1)
    assert said == ["he is hurting me"]
    assert lantern.stores.store.get(visitor.conv_key).priority.value == "URGENT"


def _wait_for(read, count, seconds=15.0):
    """What `read` returns once it holds `count` items (the replayer runs in its own thread, and a file it has
    taken is no longer named *.spool while it writes), or what it holds when the time is up."""
    deadline = time.monotonic() + seconds
    while len(found := read()) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return found
