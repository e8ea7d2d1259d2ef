"""Signing in and out, server-side sessions and their timeouts, CSRF and sign-in rate limits."""
from __future__ import annotations

from datetime import timedelta

import time_machine

from tests.conftest import ALEXIS, MORGAN, SAM, signed_post
from tests.console.conftest import PASSWORDS, csrf_token, post, sign_in

COOKIE = "lantern-session"


def audit_events(lantern, event: str) -> list:
    return [e for e in lantern.stores.audit.entries() if e.event == event]


def test_sign_in_opens_the_queue_and_is_audited(app, advocates, lantern):
    client = app.test_client()
    response = sign_in(client, "alexis   rivera", PASSWORDS["Alexis Rivera"])  # any case or spacing
    assert response.status_code == 302 and response.headers["Location"] == "/console/"
    assert "Waiting for an advocate" in client.get("/console/").get_data(as_text=True)
    [entry] = audit_events(lantern, "sign-in")
    assert entry.advocate == "alexis rivera" and entry.detail == "from 127.0.0.1"


def test_a_wrong_password_is_refused_with_one_message_and_audited(app, advocates, lantern):
    client = app.test_client()
    wrong = sign_in(client, "Alexis Rivera", "not the right passphrase")
    unknown = sign_in(client, "Nobody Here", "not the right passphrase")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "don&#39;t match an advocate" in response.get_data(as_text=True)  # the same words: no name is confirmed
    assert client.get("/console/").status_code == 302
    failures = audit_events(lantern, "sign-in failed")
    assert [(e.advocate, e.detail.split(",")[0]) for e in failures] == [("-", "no such name"),
                                                                         ("alexis rivera", "wrong password")]


def test_an_advocate_without_a_password_cannot_sign_in(app, advocates, lantern):
    response = sign_in(app.test_client(), "Riley Chen", "any twelve characters")
    assert response.status_code == 401
    assert audit_events(lantern, "sign-in failed")[0].detail.startswith("no password set")


def test_the_session_cookie_is_http_only_lax_and_holds_only_a_random_id(app, advocates, raw_redis):
    client = app.test_client()
    response = sign_in(client, "Alexis Rivera")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie and "Expires" not in cookie
    value = client.get_cookie(COOKIE).value
    assert len(value) >= 40 and "alexis" not in value
    assert not raw_redis.keys(f"*{value}*")  # Redis keeps a hash of the id, never the cookie itself


def test_production_cookie_is_secure_with_the_host_prefix(redis_url, twilio_api):
    from tests.apps import create_app
    from config.settings import load_settings
    from tests.conftest import environ_for

    settings = load_settings(environ_for(redis_url, LANTERN_ENV="production", TWILIO_API_BASE=twilio_api.url),
                             dotenv=False)
    client = create_app(settings).test_client()
    response = client.get("/console/login", base_url="https://lantern.test")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-lantern-session=") and "Secure" in cookie and "Domain" not in cookie


def test_sign_in_gives_a_new_session_id_so_a_planted_one_is_worthless(app, advocates):
    client = app.test_client()
    csrf_token(client)
    before = client.get_cookie(COOKIE).value
    sign_in(client, "Alexis Rivera")
    after = client.get_cookie(COOKIE).value
    assert after != before
    planted = app.test_client()
    planted.set_cookie(COOKIE, before)
    assert planted.get("/console/").status_code == 302


def test_a_signed_out_cookie_no_longer_opens_anything(app, advocates):
    client = app.test_client()
    sign_in(client, "Alexis Rivera")
    copied = client.get_cookie(COOKIE).value
    response = post(client, "/console/logout")
    assert response.headers["Location"] == "/console/login"
    thief = app.test_client()
    thief.set_cookie(COOKIE, copied)
    assert thief.get("/console/").status_code == 302
    assert thief.get("/console/queue.json").status_code == 401


def test_post_without_csrf_token_is_refused_and_does_nothing(app, signed_in, make_texter, work, lantern):
    from tests.console.conftest import waiting_request

    _, code = waiting_request(make_texter, work)
    client = signed_in("Alexis Rivera")
    response = client.post(f"/console/claim/{code}")
    assert response.status_code == 400 and "nothing was done" in response.get_data(as_text=True)
    assert client.post(f"/console/claim/{code}", data={"csrf_token": "forged"}).status_code == 400
    assert lantern.stores.store.get(lantern.stores.store.conversation_for_code(code)).advocate is None
    other_session_token = csrf_token(signed_in("Sam Okafor"), "/console/")
    assert client.post(f"/console/claim/{code}", data={"csrf_token": other_session_token}).status_code == 400


def test_twilio_webhooks_need_no_csrf_token_and_are_never_rate_limited(app, advocates, client):
    for n in range(40):
        params = {"MessageSid": f"SM{n:032x}", "From": "+15555550171", "To": "+15555550199", "Body": "hello",
                  "NumMedia": "0", "AccountSid": "AC" + "0" * 32}
        assert signed_post(client, "/webhooks/sms", params).status_code == 200


def test_idle_for_30_minutes_signs_out_and_says_why(app, signed_in):
    with time_machine.travel(0, tick=False) as clock:
        client = signed_in("Alexis Rivera")
        clock.shift(timedelta(minutes=29))
        assert client.get("/console/").status_code == 200  # activity: the idle clock starts again
        clock.shift(timedelta(minutes=29))
        assert client.get("/console/").status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get("/console/", follow_redirects=True)
        assert "signed out after 30 minutes without activity" in response.get_data(as_text=True)


def test_live_updates_do_not_keep_an_idle_session_alive(app, signed_in):
    with time_machine.travel(0, tick=False) as clock:
        client = signed_in("Alexis Rivera")
        for _ in range(7):
            clock.shift(timedelta(minutes=4))
            assert client.get("/console/queue.json").status_code == 200
        clock.shift(timedelta(minutes=3))  # 31 minutes of nothing but polling
        response = client.get("/console/queue.json")
        assert response.status_code == 401 and "30 minutes" in response.get_json()["reason"]


def test_a_session_ends_after_12_hours_however_active(app, signed_in):
    with time_machine.travel(0, tick=False) as clock:
        client = signed_in("Alexis Rivera")
        for _ in range(12 * 3):
            clock.shift(timedelta(minutes=20))
            assert client.get("/console/").status_code == 200
        clock.shift(timedelta(minutes=1))
        response = client.get("/console/", follow_redirects=True)
        assert "a session lasts at most 12 hours" in response.get_data(as_text=True)


def test_removal_from_the_roster_ends_sessions_at_once(app, signed_in, lantern):
    client = signed_in("Sam Okafor")
    lantern.stores.roster.remove("Sam Okafor")
    response = client.get("/console/", follow_redirects=True)
    assert "no longer on the roster" in response.get_data(as_text=True)
    lantern.stores.roster.add("Sam Okafor", "+12135550102")
    assert sign_in(app.test_client(), "Sam Okafor").status_code == 401  # the old password went with them


def test_a_password_change_ends_every_other_session(app, signed_in, advocates):
    office, phone = signed_in("Alexis Rivera"), app.test_client()
    sign_in(phone, "Alexis Rivera")
    new = "a brand new passphrase"
    response = post(office, "/console/password", {"current": PASSWORDS["Alexis Rivera"], "new": new,
                                                  "confirm": new}, token_from="/console/password")
    assert response.status_code == 302
    assert office.get("/console/").status_code == 200  # the browser that changed it stays signed in
    assert "password was changed" in phone.get("/console/", follow_redirects=True).get_data(as_text=True)
    assert sign_in(app.test_client(), "Alexis Rivera", new).status_code == 302


def test_cli_set_password_ends_console_sessions(app, signed_in):
    client = signed_in("Alexis Rivera")
    result = app.test_cli_runner().invoke(args=["advocates", "set-password", "Alexis Rivera", "--password-stdin"],
                                          input="another long passphrase\n")
    assert result.exit_code == 0
    assert client.get("/console/").status_code == 302


def test_wrong_passwords_slow_one_account_from_one_address_and_never_lock_the_advocate_out(app, advocates, lantern,
                                                                                          work, twilio_api):
    here, elsewhere = {"REMOTE_ADDR": "198.51.100.7"}, {"REMOTE_ADDR": "198.51.100.8"}
    with time_machine.travel(1_900_000_000, tick=False) as clock:
        client = app.test_client()
        for _ in range(5):
            assert sign_in(client, "Alexis Rivera", "wrong guess number x", **here).status_code == 401
        slowed = sign_in(client, "Alexis Rivera", **here)  # even the right password waits, a little
        assert slowed.status_code == 429 and "Wait 1 seconds" in slowed.get_data(as_text=True)
        assert audit_events(lantern, "sign-in failed")[0].detail.startswith("slowed down")
        assert sign_in(app.test_client(), "Alexis Rivera", **elsewhere).status_code == 302  # not locked out
        assert sign_in(app.test_client(), "Sam Okafor", **here).status_code == 302  # nor anyone else here
        clock.shift(2)
        assert sign_in(client, "Alexis Rivera", **here).status_code == 302
    work()
    [told] = twilio_api.to(MORGAN)  # the supervisor, once
    assert "5 wrong console passwords for Alexis Rivera" in told and "wrong guess" not in told
    assert twilio_api.to(SAM) == []


def test_each_further_wrong_password_doubles_the_wait_up_to_a_minute(app, advocates):
    with time_machine.travel(1_900_000_000, tick=False) as clock:
        client = app.test_client()
        waits = []
        for _ in range(12):
            answer = sign_in(client, "Sam Okafor", "wrong guess number y")
            retry = int(answer.headers.get("Retry-After", 0))
            waits.append(retry)
            clock.shift(retry)
        assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_one_address_guessing_many_names_is_slowed_and_other_addresses_are_not(app, advocates):
    with time_machine.travel(1_900_000_000, tick=False):
        client = app.test_client()
        for n in range(30):
            assert sign_in(client, f"Guess Name {n}", "wrong guess number x",
                           REMOTE_ADDR="198.51.100.7").status_code == 401
        assert sign_in(client, "Sam Okafor", REMOTE_ADDR="198.51.100.7").status_code == 429
        assert sign_in(app.test_client(), "Sam Okafor", REMOTE_ADDR="198.51.100.8").status_code == 302


def test_no_log_line_carries_a_name_typed_at_sign_in(app, advocates, captured_logs):
    client = app.test_client()
    for _ in range(7):
        sign_in(client, "correct horse battery", "wrong guess number x")
    for _ in range(61):
        app.test_client().get("/console/login", environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert "correct horse" not in captured_logs.getvalue()


def test_after_sign_in_only_console_pages_are_followed(app, advocates):
    client = app.test_client()
    token = csrf_token(client)
    form = {"name": "Alexis Rivera", "password": PASSWORDS["Alexis Rivera"], "csrf_token": token}
    assert client.post("/console/login?next=https://evil.test/x", data=form).headers["Location"] == "/console/"
    client = app.test_client()
    form["csrf_token"] = csrf_token(client)
    assert client.post("/console/login?next=/console/mine", data=form).headers["Location"] == "/console/mine"


def test_an_advocates_sms_number_is_not_a_console_login(app, advocates):
    assert sign_in(app.test_client(), ALEXIS, PASSWORDS["Alexis Rivera"]).status_code == 401
