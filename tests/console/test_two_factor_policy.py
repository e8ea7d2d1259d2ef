"""console.require_two_factor, resets by a supervisor (console and command line), sessions ended by every
change, and no secret or code anywhere in clear."""
from __future__ import annotations

import shutil
from urllib.parse import quote

import pyotp
import pytest
import redis as redis_lib
import time_machine

from tests.apps import create_app, lantern_of
from config.settings import load_settings
from tests.conftest import environ_for
from tests.console.conftest import PASSWORDS, post, sign_in
from tests.console.two_factor_steps import enrol, sign_in_with_code

T0 = 1_900_000_005


def events(lantern, event: str) -> list:
    return [e for e in lantern.stores.audit.entries() if e.event == event]


def _config_with(config_dir, tmp_path, lines: str):
    target = tmp_path / "config"
    shutil.copytree(config_dir, target)
    with (target / "org.yaml").open("a", encoding="utf-8") as org:
        org.write("\n" + lines)
    return target


@pytest.fixture
def required_app(redis_url, twilio_api, config_dir, tmp_path):
    """The console with `console: require_two_factor: true`, and Alexis, Sam and Morgan with passwords."""
    from bot.advocates import Role

    directory = _config_with(config_dir, tmp_path, "console:\n  require_two_factor: true\n")
    settings = load_settings(environ_for(redis_url, TWILIO_API_BASE=twilio_api.url, LANTERN_CONFIG_DIR=str(directory)),
                             dotenv=False)
    if settings.redis_url:
        redis_lib.Redis.from_url(settings.redis_url).flushdb()
    app = create_app(settings)
    lantern = lantern_of(app)
    for name, phone, role in (("Alexis Rivera", "+12135550101", Role.ADVOCATE), ("Sam Okafor", "+12135550102",
                              Role.ADVOCATE), ("Morgan Diaz", "+12135550104", Role.SUPERVISOR)):
        lantern.stores.credentials.set_password(lantern.stores.roster.add(name, phone, role).id, PASSWORDS[name])
    yield app
    lantern.stores.redis.flushdb()


def test_required_by_default_in_production_only_unless_org_yaml_says(redis_url, twilio_api, config_dir, tmp_path):
    def required(directory, **env) -> bool:
        return load_settings(environ_for(redis_url, TWILIO_API_BASE=twilio_api.url,
                                         LANTERN_CONFIG_DIR=str(directory), **env), dotenv=False).require_two_factor

    assert required(config_dir, LANTERN_ENV="production") is True
    assert required(config_dir) is False  # tests and the make run demo: a password alone, as before
    assert required(_config_with(config_dir, tmp_path / "on", "console:\n  require_two_factor: true\n")) is True
    off = _config_with(config_dir, tmp_path / "off", "console:\n  require_two_factor: false\n")
    assert required(off, LANTERN_ENV="production") is False


def test_when_required_an_advocate_without_one_can_only_set_one_up(required_app):
    client = required_app.test_client()
    assert sign_in(client, "Sam Okafor").status_code == 302
    for path in ("/console/", "/console/mine", "/console/password", "/console/shelters"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer.headers["Location"] == "/console/two-factor", path
    assert client.get("/console/queue.json").status_code == 403
    page = client.get("/console/two-factor").get_data(as_text=True)
    assert "asks for a second factor" in page and "Set up an authenticator app" in page
    assert 'href="/console/mine"' not in page  # no other page offered
    enrol(client)
    assert client.get("/console/").status_code == 200


def test_a_supervisor_who_must_set_one_up_cannot_reach_the_roster_first(required_app):
    client = required_app.test_client()
    sign_in(client, "Morgan Diaz")
    assert client.get("/console/roster").headers["Location"] == "/console/two-factor"


def test_setting_one_up_ends_the_advocates_other_sessions(app, signed_in):
    office, phone = signed_in("Alexis Rivera"), app.test_client()
    sign_in(phone, "Alexis Rivera")
    enrol(office)
    assert office.get("/console/").status_code == 200  # the browser that set it up stays signed in
    assert "second factor was set up" in phone.get("/console/", follow_redirects=True).get_data(as_text=True)


def test_a_supervisor_resets_a_second_factor_on_the_roster_page_which_ends_their_sessions(app, signed_in, lantern):
    with time_machine.travel(T0, tick=False):
        secret, _ = enrol(signed_in("Alexis Rivera"))
    with time_machine.travel(T0 + 60, tick=False):
        phone = app.test_client()
        assert sign_in_with_code(phone, "Alexis Rivera", pyotp.TOTP(secret).now()).status_code == 302
        supervisor = signed_in("Morgan Diaz")
        roster = supervisor.get("/console/roster").get_data(as_text=True)
        assert "Yes, reset Alexis Rivera's second factor" in roster
        path = f"/console/roster/{quote('alexis rivera')}/two-factor/reset"
        assert post(signed_in("Sam Okafor"), path).status_code == 403  # supervisors only
        answer = post(supervisor, path, token_from="/console/roster")
        assert answer.status_code == 302
        assert "second factor was set up or reset" in phone.get("/console/", follow_redirects=True).get_data(
            as_text=True)
        assert sign_in(app.test_client(), "Alexis Rivera").headers["Location"] == "/console/"  # password, set up anew
    [entry] = [e for e in events(lantern, "two-factor") if "reset" in e.detail]
    assert entry.advocate == "morgan diaz" and entry.detail == "reset for alexis rivera; their sessions ended"
    assert not lantern.stores.two_factor.enrolled("alexis rivera")


def test_the_command_line_lists_who_has_one_by_name_and_resets_one(app, signed_in, lantern):
    enrol(signed_in("Alexis Rivera"))
    sam = signed_in("Sam Okafor")
    runner = app.test_cli_runner()
    status = runner.invoke(args=["advocates", "two-factor", "status"])
    assert status.exit_code == 0
    lines = status.output.splitlines()
    assert "not required" in lines[0]
    assert any(line.split() == ["Alexis", "Rivera", "on"] for line in lines)
    assert any(line.split() == ["Sam", "Okafor", "off"] for line in lines)
    assert "555" not in status.output  # names only: no number, not even masked
    reset = runner.invoke(args=["advocates", "two-factor", "reset", "Sam Okafor"])
    assert reset.exit_code == 0 and "They had none" in reset.output
    assert sam.get("/console/").status_code == 302  # their sessions ended all the same
    reset = runner.invoke(args=["advocates", "two-factor", "reset", "alexis rivera"])
    assert reset.exit_code == 0 and "set up a new one" in reset.output
    assert not lantern.stores.two_factor.enrolled("alexis rivera")
    assert runner.invoke(args=["advocates", "two-factor", "reset", "Nobody Here"]).exit_code == 1
    cli = [e for e in events(lantern, "two-factor") if e.via == "cli"]
    assert [e.advocate for e in cli] == ["alexis rivera", "sam okafor"]  # newest first


def test_leaving_the_roster_takes_the_second_factor_with_it(app, signed_in, lantern):
    enrol(signed_in("Sam Okafor"))
    lantern.stores.roster.remove("Sam Okafor")
    lantern.stores.roster.add("Sam Okafor", "+12135550102")
    assert not lantern.stores.two_factor.enrolled("sam okafor") and lantern.stores.two_factor.recovery_left("sam okafor") == 0


def test_no_secret_or_code_in_the_logs_or_in_redis_in_clear(app, signed_in, lantern, captured_logs, raw_redis):
    with time_machine.travel(T0, tick=False) as clock:
        secret, recovery = enrol(signed_in("Alexis Rivera"))
        clock.shift(60)
        used = [pyotp.TOTP(secret).now()]
        sign_in_with_code(app.test_client(), "Alexis Rivera", used[0])
        sign_in_with_code(app.test_client(), "Alexis Rivera", used[0])  # a replay, refused
        sign_in_with_code(app.test_client(), "Alexis Rivera", recovery[0])
        half = app.test_client()
        sign_in(half, "Alexis Rivera")  # a half-finished sign-in stays in Redis
        post(signed_in("Sam Okafor"), "/console/two-factor/start", token_from="/console/two-factor")  # offered only
    pending = lantern.stores.two_factor.pending("sam okafor")
    stored = _everything_in(raw_redis)
    for clear in (secret, secret.lower(), pending, *recovery, *[c.replace("-", "") for c in recovery]):
        assert clear.encode() not in stored
        assert clear not in captured_logs.getvalue()
    readable = b" ".join(raw_redis.get(k) for k in raw_redis.keys("lantern:session:*"))
    readable += " ".join(e.detail for e in lantern.stores.audit.entries()).encode()
    for code in used:
        assert code.encode() not in readable and code not in captured_logs.getvalue()


def _everything_in(raw_redis) -> bytes:
    """Every name and value in Redis, as bytes."""
    parts: list[bytes] = []
    for key in raw_redis.keys("*"):
        kind = raw_redis.type(key).decode()
        parts.append(key)
        if kind == "string":
            parts.append(raw_redis.get(key))
        elif kind == "hash":
            parts.extend(b for pair in raw_redis.hgetall(key).items() for b in pair)
        elif kind == "set":
            parts.extend(raw_redis.smembers(key))
        elif kind == "list":
            parts.extend(raw_redis.lrange(key, 0, -1))
        elif kind == "zset":
            parts.extend(raw_redis.zrange(key, 0, -1))
        elif kind == "stream":
            parts.extend(v for _, fields in raw_redis.xrange(key) for v in fields.values())
    return b"\n".join(parts)
