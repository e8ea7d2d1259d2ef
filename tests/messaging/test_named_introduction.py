"""With discreet_mode off, an advocate's first text names the organisation; by default it never does."""
from __future__ import annotations

import pytest

from config.settings import load_settings
from tests.conftest import ALEXIS, environ_for, write_test_config
from tests.messaging.test_handoff import urgent_request

SURVIVOR = "+15555550160"


@pytest.fixture
def settings(redis_url, twilio_api, tmp_path):
    """The suite's config, with the organisation's name allowed in texts."""
    config = write_test_config(tmp_path / "config")
    org = config / "org.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("discreet_mode: true", "discreet_mode: false"),
                   encoding="utf-8")
    return load_settings(environ_for(redis_url, TWILIO_API_BASE=twilio_api.url, LANTERN_CONFIG_DIR=str(config)),
                         dotenv=False)


def test_with_discreet_mode_off_the_claim_introduces_the_organisation(make_texter, work, roster, twilio_api):
    _, code = urgent_request(make_texter, work)
    make_texter(ALEXIS).send(f"CLAIM {code}")
    work()
    assert twilio_api.to(SURVIVOR) == ["Hi, this is Alexis, an advocate with Lantern. I'm here with you now."]
