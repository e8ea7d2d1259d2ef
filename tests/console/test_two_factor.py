"""The console's second factor through its real pages: set-up, the code page, replays, drift, recovery codes,
slowing wrong codes down, and what is never kept in clear."""
from __future__ import annotations

import re
import time

import pyotp
import time_machine

from tests.conftest import MORGAN, SAM
from tests.console.conftest import csrf_token, post, sign_in
from tests.console.two_factor_steps import enrol, enter_code, sign_in_with_code

T0 = 1_900_000_005  # five seconds into a 30-second step


def events(lantern, event: str) -> list:
    return [e for e in lantern.stores.audit.entries() if e.event == event]


def test_setting_up_shows_a_qr_code_and_the_secret_once_then_ten_recovery_codes(app, signed_in, lantern):
    client = signed_in("Alexis Rivera")
    secret, codes = enrol(client)
    assert len(set(codes)) == 10
    page = client.get("/console/two-factor").get_data(as_text=True)
    assert "You have a second factor" in page and "10</strong> of 10" in page
    assert secret not in page.replace(" ", "") and codes[0] not in page  # never shown again
    again = client.post("/console/two-factor/start", data={"csrf_token": _token(client)})
    assert again.status_code == 302  # no second set-up over the first
    [entry] = events(lantern, "two-factor")
    assert entry.advocate == "alexis rivera" and entry.detail.startswith("set up")
    assert lantern.stores.two_factor.enrolled("alexis rivera")


def test_a_wrong_confirmation_code_sets_nothing_up_and_shows_the_same_qr_again(app, signed_in, lantern):
    client = signed_in("Alexis Rivera")
    first = post(client, "/console/two-factor/start", token_from="/console/two-factor").get_data(as_text=True)
    wrong = post(client, "/console/two-factor/confirm", {"code": "000000"}, token_from="/console/two-factor")
    assert wrong.status_code == 400 and "not the one your app shows" in wrong.get_data(as_text=True)
    assert _secret_in(first) == _secret_in(wrong.get_data(as_text=True))
    assert not lantern.stores.two_factor.enrolled("alexis rivera")


def test_with_a_second_factor_the_password_only_opens_the_code_page(app, signed_in):
    with time_machine.travel(T0, tick=False):
        secret, _ = enrol(signed_in("Alexis Rivera"))
    with time_machine.travel(T0 + 60, tick=False):
        client = app.test_client()
        answer = sign_in(client, "Alexis Rivera")
        assert answer.headers["Location"] == "/console/login/code"
        assert client.get("/console/").status_code == 302  # half signed in is not signed in
        assert client.get("/console/queue.json").status_code == 401
        assert "Your sign-in code" in client.get("/console/login/code").get_data(as_text=True)
        done = enter_code(client, pyotp.TOTP(secret).now())
        assert done.status_code == 302 and done.headers["Location"] == "/console/"
        assert client.get("/console/").status_code == 200


def test_a_wrong_code_is_refused_and_audited(app, signed_in, lantern):
    with time_machine.travel(T0, tick=False):
        enrol(signed_in("Alexis Rivera"))
    with time_machine.travel(T0 + 60, tick=False):
        client = app.test_client()
        answer = sign_in_with_code(client, "Alexis Rivera", "123456")
        assert answer.status_code == 401 and "That code is not right" in answer.get_data(as_text=True)
        assert client.get("/console/").status_code == 302
    [failure] = events(lantern, "sign-in failed")
    assert failure.advocate == "alexis rivera" and failure.detail.startswith("wrong code")


def test_a_code_works_once_even_within_its_own_30_seconds(app, signed_in, lantern):
    with time_machine.travel(T0, tick=False) as clock:
        secret, _ = enrol(signed_in("Alexis Rivera"))
        clock.shift(30)
        code = pyotp.TOTP(secret).now()
        assert sign_in_with_code(app.test_client(), "Alexis Rivera", code).status_code == 302
        clock.shift(10)  # the same step: someone who saw it typed tries it
        thief = app.test_client()
        replay = sign_in_with_code(thief, "Alexis Rivera", code)
        assert replay.status_code == 401 and "already used" in replay.get_data(as_text=True)
        assert thief.get("/console/").status_code == 302
    assert events(lantern, "sign-in failed")[0].detail.startswith("code already used")


def test_the_code_that_confirmed_the_set_up_does_not_sign_in(app, signed_in):
    with time_machine.travel(T0, tick=False):
        secret, _ = enrol(signed_in("Alexis Rivera"))
        assert sign_in_with_code(app.test_client(), "Alexis Rivera", pyotp.TOTP(secret).now()).status_code == 401


def test_one_step_of_clock_drift_either_way_is_allowed_and_two_are_not(app, signed_in):
    with time_machine.travel(T0, tick=False) as clock:
        secret, _ = enrol(signed_in("Alexis Rivera"))
        totp = pyotp.TOTP(secret)
        for steps_off, works in ((-2, False), (-1, True), (1, True), (2, False)):
            clock.shift(300)  # ten steps on each time: the step accepted before is long past
            code = totp.at(time.time() + 30 * steps_off)  # a phone whose clock is that many steps off
            answer = sign_in_with_code(app.test_client(), "Alexis Rivera", code)
            assert (answer.status_code == 302) is works, steps_off


def test_a_recovery_code_works_once_and_ends_the_other_sessions(app, signed_in, lantern):
    with time_machine.travel(T0, tick=False):
        secret, codes = enrol(signed_in("Alexis Rivera"))
    with time_machine.travel(T0 + 60, tick=False):
        office = app.test_client()
        assert sign_in_with_code(office, "Alexis Rivera", pyotp.TOTP(secret).now()).status_code == 302
        phone = app.test_client()
        used = sign_in_with_code(phone, "Alexis Rivera", codes[3].upper().replace("-", " "))  # as typed off paper
        assert used.status_code == 302
        assert "9 are left" in phone.get("/console/").get_data(as_text=True)
        assert "recovery codes was used" in office.get("/console/", follow_redirects=True).get_data(as_text=True)
        again = sign_in_with_code(app.test_client(), "Alexis Rivera", codes[3])
        assert again.status_code == 401
    assert lantern.stores.two_factor.recovery_left("alexis rivera") == 9
    [entry] = [e for e in events(lantern, "two-factor") if "recovery" in e.detail]
    assert entry.detail == "recovery code used (9 left); other sessions ended"


def test_the_code_page_belongs_to_the_half_finished_sign_in_and_waits_5_minutes(app, signed_in):
    with time_machine.travel(T0, tick=False) as clock:
        secret, _ = enrol(signed_in("Alexis Rivera"))
        stranger = app.test_client()
        assert stranger.get("/console/login/code").headers["Location"] == "/console/login"
        client = app.test_client()
        sign_in(client, "Alexis Rivera")
        token = csrf_token(client, "/console/login/code")
        clock.shift(5 * 60 + 31)
        late = client.post("/console/login/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token})
        assert late.status_code == 302 and late.headers["Location"] == "/console/login"
        assert client.get("/console/").status_code == 302


def test_wrong_codes_are_slowed_per_account_and_address_and_a_supervisor_is_told(app, signed_in, lantern, work,
                                                                               twilio_api):
    here, elsewhere = {"REMOTE_ADDR": "198.51.100.7"}, {"REMOTE_ADDR": "198.51.100.8"}
    with time_machine.travel(T0, tick=False) as clock:
        secret, _ = enrol(signed_in("Alexis Rivera"))
        clock.shift(60)
        client = app.test_client()
        sign_in(client, "Alexis Rivera", **here)
        for _ in range(5):
            assert enter_code(client, "000000", **here).status_code == 401
        slowed = enter_code(client, pyotp.TOTP(secret).now(), **here)  # even the right code waits a little
        assert slowed.status_code == 429 and "Wait 1 seconds" in slowed.get_data(as_text=True)
        assert sign_in_with_code(app.test_client(), "Alexis Rivera", pyotp.TOTP(secret).now(),
                                 **elsewhere).status_code == 302  # not locked out from elsewhere
    work()
    [told] = twilio_api.to(MORGAN)
    assert "right console password for Alexis Rivera, then 5 wrong sign-in codes" in told and "000000" not in told
    assert twilio_api.to(SAM) == []


def _secret_in(html: str) -> str:
    return re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1)


def _token(client) -> str:
    return csrf_token(client, "/console/two-factor")
