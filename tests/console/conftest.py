"""Console fixtures: advocates with console passwords, and a client that signs in with a real CSRF token."""
from __future__ import annotations

import re

import pytest

from tests.conftest import Texter
from tests.apps import lantern_of

# Invented passphrases for the invented advocates of tests/conftest.py's roster.
PASSWORDS = {"Alexis Rivera": "lantern test passphrase one", "Sam Okafor": "lantern test passphrase two",
             "Morgan Diaz": "lantern test passphrase three"}
SURVIVOR = "+15555550170"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def advocates(roster, lantern):
    """The shared roster, with console passwords for Alexis, Sam and Morgan (the supervisor)."""
    for name, password in PASSWORDS.items():
        lantern.stores.credentials.set_password(roster.named(name).id, password)
    return roster


def csrf_token(client, path: str = "/console/login", **environ) -> str:
    page = client.get(path, environ_base=environ)
    match = _TOKEN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client, name: str, password: str | None = None, **environ):
    token = csrf_token(client, **environ)
    return client.post("/console/login", data={"name": name, "password": password or PASSWORDS[name],
                                               "csrf_token": token}, environ_base=environ)


def post(client, path: str, data: dict | None = None, token_from: str = "/console/"):
    """A console form POST carrying the token the page gave this session."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, token_from)})


@pytest.fixture
def signed_in(app, advocates):
    """A test client per advocate name, each signed in."""
    clients = {}

    def as_(name: str):
        if name not in clients:
            client = app.test_client()
            assert sign_in(client, name).status_code == 302
            clients[name] = client
        return clients[name]
    return as_


def waiting_request(make_texter, work, number: str = SURVIVOR, danger: bool = True) -> tuple[Texter, str]:
    """A survivor asks for help through the signed webhook; returns them and their case code."""
    survivor = make_texter(number)
    survivor.send("hello")
    survivor.send("2" if danger else "talk to a person")
    work()
    lantern = lantern_of(survivor.client.application)
    return survivor, lantern.stores.store.get(lantern.stores.store.conversation_key(number)).case_code
