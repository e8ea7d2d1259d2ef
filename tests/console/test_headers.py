"""Every console response, whatever it is, carries no-store, the CSP, DENY and no-referrer."""
from __future__ import annotations

import re

import pytest

from console.security import CONTENT_SECURITY_POLICY
from tests.console.conftest import sign_in

SIGNED_OUT = ["/console/login", "/console/", "/console/queue.json", "/console/static/console.js",
              "/console/static/console.css", "/console/no-such-page", "/console", "/console/c/K7Q2"]
SIGNED_IN = ["/console/", "/console/mine", "/console/mine.json", "/console/queue.json", "/console/shelters",
             "/console/roster", "/console/audit", "/console/password", "/console/c/K7Q2", "/console/c/nope!",
             "/console/static/missing.js"]


def assert_console_headers(response):
    headers = response.headers
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_the_policy_allows_no_inline_script_and_no_other_origin():
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY and "'unsafe-eval'" not in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert not re.search(r"https?:|\*", CONTENT_SECURITY_POLICY)


@pytest.mark.parametrize("path", SIGNED_OUT)
def test_signed_out_responses_carry_the_headers(client, path):
    with client.get(path) as response:  # static files stream: close them
        assert_console_headers(response)


@pytest.mark.parametrize("path", SIGNED_IN)
def test_signed_in_responses_carry_the_headers_as_advocate(app, advocates, path):
    client = app.test_client()
    sign_in(client, "Alexis Rivera")  # roster and audit answer 403 here: headers still
    with client.get(path) as response:
        assert_console_headers(response)


def test_refusals_carry_the_headers_too(app, advocates):
    client = app.test_client()
    assert_console_headers(client.post("/console/login", data={"name": "x"}))  # no CSRF token: 400
    assert_console_headers(client.put("/console/login"))  # 405
    for _ in range(6):
        response = sign_in(client, "Alexis Rivera", "wrong guess number x")
    assert response.status_code == 429
    assert_console_headers(response)


def test_pages_load_nothing_from_elsewhere_and_have_no_inline_script(app, advocates):
    client = app.test_client()
    sign_in(client, "Morgan Diaz")
    for path in ("/console/", "/console/mine", "/console/shelters", "/console/roster", "/console/audit"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=\"/console/static/)", html)
        assert not re.search(r"\b(src|href)=\"(https?:)?//", html)
        assert " style=" not in html and " on" + "click=" not in html


def test_webhooks_keep_their_own_headers(client):
    assert "Content-Security-Policy" not in client.get("/healthz").headers
