"""REDIS_URL, or Sentinel (REDIS_SENTINELS with REDIS_SENTINEL_MASTER): a half-set pair is refused by name."""
from __future__ import annotations

import pytest

from config.redis_location import rq_settings
from config.settings import SettingsError, load_settings
from tests.conftest import environ_for

SENTINELS = "127.0.0.1:26379,127.0.0.1:26380"


@pytest.mark.parametrize("present, missing", [
    ({"REDIS_SENTINELS": SENTINELS}, "REDIS_SENTINEL_MASTER"),
    ({"REDIS_SENTINEL_MASTER": "lantern"}, "REDIS_SENTINELS"),
])
@pytest.mark.parametrize("mode", ["production", "development"])
def test_a_half_set_sentinel_pair_is_refused_naming_the_missing_variable(present, missing, mode):
    with pytest.raises(SettingsError, match=missing):
        load_settings(environ_for(None, LANTERN_ENV=mode, **present), dotenv=False)


def test_production_takes_the_sentinel_pair_instead_of_redis_url():
    settings = load_settings(environ_for(None, LANTERN_ENV="production", REDIS_SENTINELS=SENTINELS,
                                         REDIS_SENTINEL_MASTER="lantern"), dotenv=False)
    assert settings.redis_sentinels == (("127.0.0.1", 26379), ("127.0.0.1", 26380))
    assert settings.redis_sentinel_master == "lantern" and settings.redis_url is None
    assert not settings.embedded and not settings.inline_jobs
    assert settings.redis_location.uri == f"redis+sentinel://{SENTINELS}/lantern"


def test_production_without_any_redis_names_both_ways():
    with pytest.raises(SettingsError, match="REDIS_URL .or REDIS_SENTINELS with REDIS_SENTINEL_MASTER"):
        load_settings(environ_for(None, LANTERN_ENV="production"), dotenv=False)


def test_sentinel_wins_over_redis_url_when_both_are_set():
    settings = load_settings(environ_for("redis://127.0.0.1:6379/0", REDIS_SENTINELS=SENTINELS,
                                         REDIS_SENTINEL_MASTER="lantern"), dotenv=False)
    assert settings.redis_url is None and settings.redis_sentinels


@pytest.mark.parametrize("bad", ["127.0.0.1", "127.0.0.1:port", ":26379", "127.0.0.1:26379,", "h:99999"])
def test_a_sentinel_address_that_is_not_host_port_is_refused(bad):
    with pytest.raises(SettingsError, match="REDIS_SENTINELS"):
        load_settings(environ_for(None, REDIS_SENTINELS=bad, REDIS_SENTINEL_MASTER="lantern"), dotenv=False)


@pytest.mark.parametrize("raw, expected", [(None, 250), ("0", 0), ("100", 100)])
def test_the_replica_wait_is_configurable(raw, expected):
    extra = {} if raw is None else {"LANTERN_REPLICA_WAIT_MS": raw}
    assert load_settings(environ_for("redis://127.0.0.1:6379/0", **extra), dotenv=False).replica_wait_ms == expected


@pytest.mark.parametrize("bad", ["-1", "fast", "60000"])
def test_a_replica_wait_that_is_no_short_number_of_ms_is_refused(bad):
    with pytest.raises(SettingsError, match="LANTERN_REPLICA_WAIT_MS"):
        load_settings(environ_for("redis://127.0.0.1:6379/0", LANTERN_REPLICA_WAIT_MS=bad), dotenv=False)


def test_the_worker_gets_rqs_own_sentinel_settings():
    settings = load_settings(environ_for(None, REDIS_SENTINELS=SENTINELS, REDIS_SENTINEL_MASTER="lantern"),
                             dotenv=False)
    rq = rq_settings(settings.redis_location)
    assert rq["REDIS_URL"] is None
    assert rq["SENTINEL"]["INSTANCES"] == [("127.0.0.1", 26379), ("127.0.0.1", 26380)]
    assert rq["SENTINEL"]["MASTER_NAME"] == "lantern"
    url_only = rq_settings(load_settings(environ_for("redis://127.0.0.1:6379/0"), dotenv=False).redis_location)
    assert url_only == {"REDIS_URL": "redis://127.0.0.1:6379/0", "SENTINEL": None}
