"""handoff.mode: offer: one advocate at a time, fewest conversations first, then the next, then everyone."""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pytest
import redis as redis_lib
import time_machine

from tests.apps import create_app, lantern_of
from config.settings import load_settings
from tests.conftest import ALEXIS, RILEY, SAM, environ_for
from tests.messaging.test_capacity import ask_for_a_person, danger, pages

FIRST, SECOND = "+15555550164", "+15555550165"


def seconds_later(seconds: float):
    return time_machine.travel(time.time() + seconds, tick=True)


@pytest.fixture
def offer_config(config_dir):
    target = Path(tempfile.mkdtemp(prefix="lantern-offer-config-"))
    for source in config_dir.glob("*.yaml"):
        shutil.copy(source, target / source.name)
    org = (target / "org.yaml").read_text(encoding="utf-8").replace("mode: broadcast", "mode: offer")
    (target / "org.yaml").write_text(org, encoding="utf-8")
    yield target
    shutil.rmtree(target)


@pytest.fixture
def app(redis_url, twilio_api, offer_config):
    settings = load_settings(environ_for(redis_url, TWILIO_API_BASE=twilio_api.url,
                                         LANTERN_CONFIG_DIR=str(offer_config)), dotenv=False)
    if settings.redis_url:
        redis_lib.Redis.from_url(settings.redis_url).flushdb()
    app = create_app(settings)
    yield app
    lantern_of(app).stores.redis.flushdb()


def test_a_request_is_offered_to_the_least_busy_then_the_next_then_everyone(make_texter, work, roster, twilio_api,
                                                                            lantern):
    assert lantern.settings.content.handoff.mode == "offer"
    _, held, _ = ask_for_a_person(make_texter, FIRST)
    work()
    make_texter(ALEXIS).send(f"CLAIM {held}")  # Alexis holds one now, Sam none
    work()
    before = {n: len(pages(twilio_api, n)) for n in (ALEXIS, SAM)}
    _, code, _ = ask_for_a_person(make_texter, SECOND)
    work()
    offer = f"Lantern: NORMAL request {code} (en, area not given) (offered to you alone for 120 s). Reply CLAIM {code}"
    assert pages(twilio_api, SAM)[before[SAM]:] == [offer]
    assert len(pages(twilio_api, ALEXIS)) == before[ALEXIS]
    assert lantern.stores.offers.of(lantern.stores.store.conversation_key(SECOND)) == ["sam okafor"]
    with seconds_later(60):
        work(with_scheduler=True)
    assert len(pages(twilio_api, ALEXIS)) == before[ALEXIS]  # Sam still has it
    with seconds_later(125):
        work(with_scheduler=True)
    assert pages(twilio_api, ALEXIS)[before[ALEXIS]:] == [offer]  # the next one
    assert len(pages(twilio_api, SAM)) == before[SAM] + 1
    with seconds_later(250):
        work(with_scheduler=True)
    everyone = f"Lantern: NORMAL request {code} (en, area not given). Reply CLAIM {code}"
    assert pages(twilio_api, ALEXIS)[-1] == everyone and pages(twilio_api, SAM)[-1] == everyone
    assert lantern.stores.offers.of(lantern.stores.store.conversation_key(SECOND)) == [
        "sam okafor", "alexis rivera", "*"]


def test_a_claim_during_the_offer_ends_it(make_texter, work, roster, twilio_api):
    _, code, _ = ask_for_a_person(make_texter, FIRST)
    work()
    offered = ALEXIS if pages(twilio_api, ALEXIS) else SAM
    other = SAM if offered == ALEXIS else ALEXIS
    assert make_texter(offered).send(f"CLAIM {code}")[0].startswith(f"{code} is yours")
    with seconds_later(300):
        work(with_scheduler=True)
    assert pages(twilio_api, other) == []


def test_urgent_always_broadcasts_in_offer_mode(make_texter, work, roster, twilio_api):
    _, code = danger(make_texter, FIRST)
    work()
    for number in (ALEXIS, SAM, RILEY):
        assert pages(twilio_api, number) == [f"Lantern: URGENT request {code} (en, area not given). Reply CLAIM {code}"]
