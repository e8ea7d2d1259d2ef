"""In production: http is redirected to https (never the health check or Twilio's webhooks), and every
response carries HSTS and a Permissions-Policy. Outside production none of this applies."""
from __future__ import annotations

import pytest

from tests.apps import create_app, lantern_of
from config.settings import load_settings
from tests.conftest import environ_for


@pytest.fixture
def production(redis_url, twilio_api):
    settings = load_settings(environ_for(redis_url, LANTERN_ENV="production", TWILIO_API_BASE=twilio_api.url),
                             dotenv=False)
    app = create_app(settings)
    yield app.test_client()
    lantern_of(app).stores.redis.flushdb()


@pytest.mark.parametrize("path", ["/console/login?next=/console/mine", "/chat"])
def test_plain_http_is_redirected_to_the_public_https_address(production, path):
    answer = production.get(path, base_url="http://lantern.test")
    assert answer.status_code == 308 and answer.headers["Location"] == "https://lantern.test" + path


def test_the_health_check_and_twilio_are_not_redirected(production):
    assert production.get("/healthz", base_url="http://lantern.test").status_code in (200, 503)
    assert production.post("/webhooks/sms", base_url="http://lantern.test").status_code == 403  # its signature


def test_https_answers_carry_hsts_and_permissions_policy(production):
    answer = production.get("/console/login", base_url="https://lantern.test")
    assert answer.status_code == 200
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "camera=()" in answer.headers["Permissions-Policy"] and "geolocation=()" in answer.headers["Permissions-Policy"]


def test_outside_production_nothing_is_redirected(client):
    answer = client.get("/console/login", base_url="http://lantern.test")
    assert answer.status_code == 200 and "Strict-Transport-Security" not in answer.headers


def test_behind_a_trusted_proxy_its_scheme_counts(redis_url, twilio_api, tmp_path, config_dir):
    import shutil

    shutil.copytree(config_dir, tmp_path, dirs_exist_ok=True)
    org = tmp_path / "org.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("trusted_proxies: 0", "trusted_proxies: 1"),
                   encoding="utf-8")
    app = create_app(load_settings(environ_for(redis_url, LANTERN_ENV="production", TWILIO_API_BASE=twilio_api.url,
                                               LANTERN_CONFIG_DIR=str(tmp_path)), dotenv=False))
    client = app.test_client()
    answer = client.get("/console/login", base_url="http://lantern.test", headers={"X-Forwarded-Proto": "https"})
    assert answer.status_code == 200  # the router spoke https to the browser
    untrusted = create_app(load_settings(environ_for(redis_url, LANTERN_ENV="production",
                                                     TWILIO_API_BASE=twilio_api.url), dotenv=False)).test_client()
    forged = untrusted.get("/console/login", base_url="http://lantern.test", headers={"X-Forwarded-Proto": "https"})
    assert forged.status_code == 308
