"""Fixtures: a real Redis (flushed around each test), the app, and a texter that signs its webhooks."""
from __future__ import annotations

import io
import itertools
import logging
import os
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis as redis_lib

# The tests pick their own Redis below; the module-level `app` (imported with app.py) must not
# open the deployment's. Read REDIS_URL once, then hide it.
_REDIS_URL_FROM_ENV = os.environ.pop("REDIS_URL", None)

from tests.apps import create_app, lantern_of, latest_lantern  # noqa: E402
from config.hours import DAYS  # noqa: E402
from config.settings import Settings, load_settings  # noqa: E402
from tests.redis_server import RedisServer, with_test_db  # noqa: E402
from tests.twilio_standin import TwilioStandIn  # noqa: E402
from tests.twilio_signing import twilio_signature  # noqa: E402

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-not-real"
PUBLIC_BASE_URL = "https://lantern.test"
HOTLINE_NUMBER = "+15555550199"
CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
DATA_KEY = "aW52ZW50ZWQtdGVzdC1rZXktMzItYnl0ZXMtbG9uZyE="  # base64 of 32 invented bytes


def redis_mode() -> str:
    if _REDIS_URL_FROM_ENV:
        return "env"
    return "private" if shutil.which("redis-server") else "fakeredis"


def pytest_report_header(config):
    mode = redis_mode()
    if mode == "env":
        return f"redis: REDIS_URL (database {with_test_db(_REDIS_URL_FROM_ENV).rsplit('/', 1)[-1]})"
    if mode == "private":
        return "redis: a private redis-server started by the tests"
    return "redis: NO REDIS SERVER FOUND - running on fakeredis; the real-Redis guarantees are untested"


@pytest.fixture(scope="session")
def redis_url():
    mode = redis_mode()
    if mode == "env":
        yield with_test_db(_REDIS_URL_FROM_ENV)
    elif mode == "private":
        server = RedisServer.start()
        yield server.url
        server.stop()
    else:
        yield None


def environ_for(redis_url: str | None, **overrides: str) -> dict[str, str]:
    environ = {
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_NUMBER": HOTLINE_NUMBER,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "SECRET_KEY": "test-secret-key-invented-for-the-tests-only",
        "LANTERN_DATA_KEYS": DATA_KEY,
        "LANTERN_LOOKUP_KEY": "test-lookup-key-invented-for-the-tests-only",
        "LANTERN_CONFIG_DIR": str(TEST_CONFIG_DIR),
        # Each app its own spool: a message kept in one test's outage is never replayed into another's.
        "LANTERN_SPOOL_DIR": tempfile.mkdtemp(prefix="lantern-spool-"),
    }
    if redis_url:
        environ["REDIS_URL"] = redis_url
    environ.update(overrides)
    return environ


@pytest.fixture(scope="session")
def twilio_standin():
    standin = TwilioStandIn(ACCOUNT_SID, AUTH_TOKEN).start()
    yield standin
    standin.stop()


@pytest.fixture
def twilio_api(twilio_standin):
    """The stand-in of Twilio's REST API, emptied for this test."""
    twilio_standin.reset()
    return twilio_standin


def write_test_config(target: Path) -> Path:
    """config/ as shipped, but always staffed (after-hours tests bring their own hours) and retries
    without back-off, so that a burst worker sees every attempt."""
    target.mkdir(parents=True, exist_ok=True)
    for source in CONFIG_DIR.glob("*.yaml"):
        text = source.read_text(encoding="utf-8")
        text = text.replace("send_retry_seconds: [5, 30, 120, 600]", "send_retry_seconds: [0, 0, 0]")
        if source.name == "hours.yaml":
            text = re.sub(r"(?ms)^staffed:.*?^holidays:.*?$",
                          "staffed:\n" + "".join(f"  {d}: [\"00:00-24:00\"]\n" for d in DAYS) + "holidays: []",
                          text)
        (target / source.name).write_text(text, encoding="utf-8")
    return target


TEST_CONFIG_DIR = write_test_config(Path(tempfile.mkdtemp(prefix="lantern-config-")))


@pytest.fixture(scope="session")
def config_dir():
    return TEST_CONFIG_DIR


@pytest.fixture
def settings(redis_url, twilio_api, config_dir) -> Settings:
    return load_settings(environ_for(redis_url, TWILIO_API_BASE=twilio_api.url), dotenv=False)


@pytest.fixture
def app(settings):
    if settings.redis_url:  # flushed before the app starts: it schedules its first shift change
        redis_lib.Redis.from_url(settings.redis_url).flushdb()
    app = create_app(settings)
    lantern = lantern_of(app)
    if not settings.redis_url:
        lantern.stores.redis.flushdb()
    yield app
    lantern.stores.redis.flushdb()


@pytest.fixture
def lantern(app):
    return lantern_of(app)


@pytest.fixture
def raw_redis(lantern) -> redis_lib.Redis:
    return lantern.stores.redis


_sids = itertools.count(1)


def new_sid() -> str:
    return f"SM{next(_sids):032x}"


def signed_post(client, path: str, params: dict[str, str], token: str = AUTH_TOKEN, query: str = ""):
    url = PUBLIC_BASE_URL + path + (f"?{query}" if query else "")
    headers = {"X-Twilio-Signature": twilio_signature(token, url, params)}
    return client.post(path + (f"?{query}" if query else ""), data=params, headers=headers)


def twiml_messages(response) -> list[str]:
    root = ET.fromstring(response.data)
    return [element.text or "" for element in root.iter("Message")]


@dataclass
class Texter:
    """A person texting the hotline from one number, through the signed webhook."""

    client: object
    number: str

    def send(self, body: str = "", media: int = 0, sid: str | None = None) -> list[str]:
        response = self.post(body, media, sid)
        assert response.status_code == 200, response.data
        return twiml_messages(response)

    def post(self, body: str = "", media: int = 0, sid: str | None = None):
        params = {"MessageSid": sid or new_sid(), "From": self.number, "To": HOTLINE_NUMBER,
                  "Body": body, "NumMedia": str(media), "AccountSid": "AC" + "0" * 32}
        if media:
            params["MediaUrl0"] = "https://api.twilio.test/media/ME0"
            params["MediaContentType0"] = "image/jpeg"
        return signed_post(self.client, "/webhooks/sms", params)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def texter(client):
    return Texter(client, "+15555550101")


@pytest.fixture
def make_texter(client):
    def make(number: str) -> Texter:
        return Texter(client, number)
    return make


ALEXIS, SAM, RILEY, MORGAN = "+12135550101", "+12135550102", "+12135550103", "+12135550104"


@pytest.fixture
def roster(lantern):
    """Invented advocates: two on shift, one on call, one supervisor."""
    from bot.advocates import Role

    lantern.stores.roster.add("Alexis Rivera", ALEXIS, available=True)
    lantern.stores.roster.add("Sam Okafor", SAM, available=True)
    lantern.stores.roster.add("Riley Chen", RILEY, on_call=True)
    lantern.stores.roster.add("Morgan Diaz", MORGAN, role=Role.SUPERVISOR)
    return lantern.stores.roster


@pytest.fixture
def work(lantern):
    """Run a real RQ worker (in-process SimpleWorker, burst) over the queue until it is empty."""
    from rq import SimpleWorker
    from rq.serializers import JSONSerializer

    def run(with_scheduler: bool = False) -> None:
        queues = [lantern.messenger.urgent_queue, lantern.queue]  # as the Procfile's worker line lists them
        worker = SimpleWorker(queues, connection=lantern.stores.redis, serializer=JSONSerializer,
                              job_class=latest_lantern().job_class)
        worker.work(burst=True, with_scheduler=with_scheduler)
    return run


@pytest.fixture
def captured_logs():
    """Everything logged during a test, formatted as production formats it (tracebacks without messages)."""
    from config.logs import FramesOnlyFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(FramesOnlyFormatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)
