"""Bad input to the chat's endpoints gets a clear 4xx naming the problem, and nothing is stored."""
from __future__ import annotations

import pytest

from chat.tokens import new_token
from tests.chat.conftest import ORIGIN


@pytest.fixture
def nothing_stored(raw_redis):
    """Fails the test if the request under test wrote any key or queued any job."""
    before = set(raw_redis.keys("*"))
    yield
    assert set(raw_redis.keys("*")) == before


def refusal(response, status: int, words: str) -> None:
    assert response.status_code == status, response.data
    assert words in response.get_json()["error"]


def test_no_token(client, nothing_stored):
    refusal(client.post("/chat/messages", json={"text": "2"}, headers={"Origin": ORIGIN}), 401,
            "X-Chat-Token header is missing")
    refusal(client.get("/chat/messages"), 401, "X-Chat-Token header is missing")
    refusal(client.post("/chat/exit", headers={"Origin": ORIGIN}), 401, "X-Chat-Token header is missing")


@pytest.mark.parametrize("forged", [
    "made-up",
    new_token("another deployment's secret key"),
    new_token("test-secret-key")[:-2] + "xx",  # ours, tampered with
], ids=["made-up", "another-deployment", "tampered"])  # stable ids: pytest-xdist's workers must agree
def test_forged_token(client, nothing_stored, forged):
    headers = {"Origin": ORIGIN, "X-Chat-Token": forged}
    refusal(client.post("/chat/messages", json={"text": "hello"}, headers=headers), 403, "not a chat token")
    refusal(client.get("/chat/messages", headers=headers), 403, "not a chat token")
    refusal(client.post("/chat/exit", headers=headers), 403, "not a chat token")


def test_oversized_message(visitor, raw_redis):
    visitor.start()
    before = raw_redis.xlen(f"lantern:{{{visitor.conv_key}}}:inbox")
    refusal(visitor.post("x" * 1601), 413, "at most 1600 characters")
    huge = visitor.client.post("/chat/messages", data=b'{"text": "' + b"y" * 20000 + b'"}',
                               content_type="application/json", headers=visitor.headers())
    refusal(huge, 413, "larger than")
    assert raw_redis.xlen(f"lantern:{{{visitor.conv_key}}}:inbox") == before
    assert len(visitor.lantern.stores.store.transcript(visitor.conv_key)) == 2  # the opening only
    assert visitor.post("x" * 1600).status_code == 200  # as long as a text may be


@pytest.mark.parametrize("body, content_type, status, words", [
    (b"text=hello", "application/x-www-form-urlencoded", 415, "Content-Type: application/json"),
    (b"hello", "text/plain", 415, "Content-Type: application/json"),
    (b"{not json", "application/json", 400, "not a JSON object"),
    (b'["hello"]', "application/json", 400, "not a JSON object"),
    (b'{"text": 2}', "application/json", 400, "'text' must be a string"),
    (b'{"text": "  \\u0000 "}', "application/json", 400, "empty"),
])
def test_malformed_messages(visitor, body, content_type, status, words):
    visitor.start()
    before = visitor.lantern.stores.store.transcript(visitor.conv_key)
    response = visitor.client.post("/chat/messages", data=body, content_type=content_type, headers=visitor.headers())
    refusal(response, status, words)
    assert visitor.lantern.stores.store.transcript(visitor.conv_key) == before


@pytest.mark.parametrize("origin", [None, "https://evil.test", "http://lantern.test", "https://lantern.test.evil.test"])
def test_posts_from_another_origin_are_refused(client, nothing_stored, origin):
    headers = {"Origin": origin} if origin else {}
    refusal(client.post("/chat/session", json={"lang": "en"}, headers=headers), 403, "Origin must be https://lantern.test")


def test_a_message_from_another_origin_is_refused_with_a_good_token(visitor):
    visitor.start()
    before = visitor.lantern.stores.store.transcript(visitor.conv_key)
    refusal(visitor.post("2", Origin="https://evil.test"), 403, "Origin must be")
    assert visitor.lantern.stores.store.transcript(visitor.conv_key) == before


def test_session_needs_json_and_a_known_language(client, nothing_stored):
    refusal(client.post("/chat/session", data="lang=en", headers={"Origin": ORIGIN},
                        content_type="application/x-www-form-urlencoded"), 415, "application/json")
    refusal(client.post("/chat/session", json={"lang": "fr"}, headers={"Origin": ORIGIN}), 400, "'lang' must be one of en, es")


def test_a_bad_cursor(visitor):
    visitor.start()
    for accept in ("application/json", "text/event-stream"):
        response = visitor.client.get("/chat/messages?after=yesterday",
                                      headers={"X-Chat-Token": visitor.token, "Accept": accept})
        refusal(response, 400, "after must be a message id")
