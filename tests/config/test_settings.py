"""Settings: production names what is missing; content errors name the file and key."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from config.content import ContentError
from config.settings import PRODUCTION_REQUIRED, SettingsError, load_settings
from tests.conftest import environ_for

CONFIG = Path(__file__).resolve().parents[2] / "config"


@pytest.mark.parametrize("missing", PRODUCTION_REQUIRED)
def test_production_refuses_to_start_naming_what_is_missing(missing):
    environ = environ_for("redis://127.0.0.1:6379/0", LANTERN_ENV="production")
    del environ[missing]
    with pytest.raises(SettingsError, match=missing):
        load_settings(environ, dotenv=False)


def test_production_starts_with_everything_set():
    settings = load_settings(environ_for("redis://127.0.0.1:6379/0", LANTERN_ENV="production"), dotenv=False)
    assert settings.production and not settings.embedded and not settings.ephemeral_keys


def test_a_real_redis_without_keys_is_refused_outside_production():
    environ = environ_for("redis://127.0.0.1:6379/0")
    del environ["LANTERN_LOOKUP_KEY"]
    with pytest.raises(SettingsError, match="LANTERN_LOOKUP_KEY"):
        load_settings(environ, dotenv=False)


def test_embedded_default_needs_nothing():
    settings = load_settings({}, dotenv=False)
    assert settings.embedded and settings.ephemeral_keys
    assert settings.twilio_api_base == "https://api.twilio.com"


def test_bad_data_key_is_named():
    with pytest.raises(SettingsError, match="LANTERN_DATA_KEYS: key 2"):
        load_settings(environ_for(None, LANTERN_DATA_KEYS="aW52ZW50ZWQtdGVzdC1rZXktMzItYnl0ZXMtbG9uZyE=,short"),
                      dotenv=False)


def copy_config(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(CONFIG, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def test_config_dir_is_read_from_the_environment(tmp_path):
    config = copy_config(tmp_path)
    org = config / "org.yaml"
    org.write_text(org.read_text().replace('emergency_number: "911"', 'emergency_number: "112"'))
    settings = load_settings(environ_for(None, LANTERN_CONFIG_DIR=str(config)), dotenv=False)
    assert settings.content.org.emergency_number == "112"


@pytest.mark.parametrize("edit, named", [
    (("quiet_word:\n  en: QUIET\n  es: SILENCIO", "quiet_word:\n  en: QUIET"), "quiet_word"),
    (("retention_days: 30", "retention_days: -1"), "retention_days"),
    (('reopen_template_sid: ""', 'reopen_template_sid: "You have a new message"'), "not a Content SID"),
    (('reopen_template_sid: ""', 'reopen_template_sid: {fr: HX' + '0' * 32 + '}'), "whatsapp.reopen_template_sid"),
])
def test_bad_org_config_names_the_key(tmp_path, edit, named):
    config = copy_config(tmp_path)
    org = config / "org.yaml"
    org.write_text(org.read_text().replace(*edit))
    with pytest.raises(ContentError, match=named):
        load_settings(environ_for(None, LANTERN_CONFIG_DIR=str(config)), dotenv=False)


def test_the_reopen_template_is_one_sid_or_one_per_language(tmp_path):
    config = copy_config(tmp_path)
    org = config / "org.yaml"
    en, es = "HX" + "a" * 32, "HX" + "b" * 32
    org.write_text(org.read_text().replace('reopen_template_sid: ""', f"reopen_template_sid: {{en: {en}, es: {es}}}"))
    whatsapp = load_settings(environ_for(None, LANTERN_CONFIG_DIR=str(config)), dotenv=False).content.whatsapp
    assert (whatsapp.reopen_template("en"), whatsapp.reopen_template("es")) == (en, es)
    shipped = load_settings(environ_for(None), dotenv=False).content.whatsapp
    assert shipped.reopen_template("en") == ""  # shipped without one: nothing goes outside the window


def test_the_messaging_service_sid_is_read():
    settings = load_settings(environ_for(None, TWILIO_MESSAGING_SERVICE_SID="MG" + "1" * 32), dotenv=False)
    assert settings.twilio_messaging_service_sid == "MG" + "1" * 32


@pytest.mark.parametrize("name, value, says", [
    ("SECRET_KEY", "x", "placeholder"),
    ("LANTERN_LOOKUP_KEY", "x", "placeholder"),
    ("SECRET_KEY", "changeme", "placeholder"),
    ("SECRET_KEY", "a-short-but-real-looking-key", "28 bytes"),
    ("LANTERN_LOOKUP_KEY", "k" * 31, "31 bytes"),
])
def test_production_refuses_weak_secrets_naming_the_variable(name, value, says):
    environ = environ_for("redis://127.0.0.1:6379/0", LANTERN_ENV="production", **{name: value})
    with pytest.raises(SettingsError, match=f"refuses {name}: .*{says}"):
        load_settings(environ, dotenv=False)


def test_production_refuses_a_plain_http_public_base_url_but_not_loopback():
    environ = environ_for("redis://127.0.0.1:6379/0", LANTERN_ENV="production", PUBLIC_BASE_URL="http://lantern.example.org")
    with pytest.raises(SettingsError, match="refuses PUBLIC_BASE_URL: it must start with https://"):
        load_settings(environ, dotenv=False)
    environ["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"  # a benchmark or a demo on this machine only
    assert load_settings(environ, dotenv=False).production


def test_trusted_proxies_must_be_a_small_whole_number(tmp_path):
    shutil.copytree(CONFIG, tmp_path, dirs_exist_ok=True)
    org = tmp_path / "org.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("trusted_proxies: 0", "trusted_proxies: yes"),
                   encoding="utf-8")
    with pytest.raises(ContentError, match="'trusted_proxies' must be a whole number"):
        load_settings(environ_for(None, LANTERN_CONFIG_DIR=str(tmp_path)), dotenv=False)
