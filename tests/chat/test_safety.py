"""The safety rules hold on the web chat: fail safe, no personal data in logs, limits that never refuse danger."""
from __future__ import annotations

import time

from tests.apps import create_app
from config.settings import load_settings
from store.keys import key_for
from tests.chat.conftest import ORIGIN, Visitor
from tests.conftest import ALEXIS, environ_for
from tests.redis_server import RedisServer, free_port

STATIC = ("911", "1-888-373-7888", "233733")


def assert_static_safety(response) -> None:
    assert response.status_code == 200  # safety rule 5: never a 5xx
    [entry] = response.get_json()["entries"]
    assert all(part in entry["text"] for part in STATIC) and "Si estás en peligro" in entry["text"]


def test_redis_stopped_mid_chat_still_shows_the_safety_message():
    server = RedisServer.start()
    try:
        visitor = Visitor(create_app(load_settings(environ_for(server.url), dotenv=False)).test_client())
        visitor.start()
    finally:
        server.stop()
    started = time.monotonic()
    assert_static_safety(visitor.post("2"))
    assert time.monotonic() - started < 5
    assert visitor.client.get("/chat").status_code == 200  # the page itself needs no Redis


def test_a_new_chat_with_redis_unreachable_gets_the_safety_message():
    app = create_app(load_settings(environ_for(f"redis://127.0.0.1:{free_port()}/0"), dotenv=False))
    assert_static_safety(app.test_client().post("/chat/session", json={"lang": "es"}, headers={"Origin": ORIGIN}))


def test_undecryptable_state_gets_the_safety_message(visitor, raw_redis):
    visitor.start()
    raw_redis.set(key_for(visitor.conv_key, "state"), b"not a fernet token")
    assert_static_safety(visitor.post("1"))


def test_a_whole_chat_and_a_failure_leave_no_token_or_words_in_logs(visitor, make_texter, roster, work, raw_redis,
                                                                    captured_logs):
    visitor.start()
    for words in ("2", "yes", "Pinewood Heights", "he is coming with a knife"):
        visitor.say(words)
    work()
    make_texter(ALEXIS).send(f"CLAIM {visitor.lantern.stores.store.get(visitor.conv_key).case_code}")
    make_texter(ALEXIS).send("Stay on the line with me")
    work()
    visitor.new()
    raw_redis.set(key_for(visitor.conv_key, "state"), b"garbage that fails to decrypt")
    visitor.post("Pinewood Heights again")  # fails: logged with a traceback
    visitor.exit()
    logs = captured_logs.getvalue()
    assert "message conv=" in logs and "web chat failed" in logs
    for secret in (visitor.token, visitor.token.split(".")[0], "Pinewood", "knife", "Stay on the line"):
        assert secret not in logs


def test_responses_keep_nothing_in_the_browser(visitor):
    with visitor.client.get("/chat/static/chat.js") as script:
        responses = [script]
    responses += [visitor.client.get("/chat"),
                 visitor.client.post("/chat/session", json={"lang": "en"}, headers={"Origin": ORIGIN})]
    visitor.token = responses[-1].get_json()["token"]
    responses += [visitor.post("1"), visitor.client.get("/chat/messages", headers={"X-Chat-Token": visitor.token}),
                  visitor.exit()]
    for response in responses:
        assert "Set-Cookie" not in response.headers  # nothing outlives the tab
        assert response.headers["Cache-Control"] == "no-store"
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"


# --- limits ------------------------------------------------------------------------------------------------
LIMITS = {"session_messages_per_minute": 3, "address_messages_per_minute": 5, "address_chats_per_hour": 3}


def _early_in_a_minute(needed: float = 20.0) -> None:
    """The limits count per clock minute (chat/limits.py): a test that must see its count hold waits for a
    minute with `needed` seconds left, rather than fail when a busy machine carries it into the next one."""
    left = 60 - time.time() % 60
    if left < needed:
        time.sleep(left + 0.1)


def test_a_session_over_its_limit_is_slowed_but_danger_is_answered_and_paged(make_app, roster, work, twilio_api):
    _early_in_a_minute()
    app = make_app(limits=LIMITS)
    visitor = Visitor(app.test_client())
    visitor.start()
    for words in ("hello", "what is this", "ok"):
        assert visitor.post(words).status_code == 200
    slowed = visitor.post("anyone?")
    assert slowed.status_code == 429 and 0 < int(slowed.headers["Retry-After"]) <= 61
    assert "wait a minute" in slowed.get_json()["error"] and "911" in slowed.get_json()["safety"]
    danger = visitor.post("he has a gun")  # over the limit, and still answered
    assert danger.status_code == 200 and "911" in danger.get_json()["entries"][1]["text"]
    work()
    assert any(m.body.startswith("Lantern: URGENT request") for m in twilio_api.sent)
    assert visitor.post("QUIET").status_code == 200  # going quiet is never refused either
    assert visitor.post("hello again").status_code == 429  # then the limit applies


def test_two_at_safe_to_talk_is_never_refused(make_app):
    _early_in_a_minute()
    client = make_app(limits=LIMITS).test_client()
    others, visitor = [Visitor(client), Visitor(client)], Visitor(client)
    for someone in others + [visitor]:
        someone.start()
    for i, words in enumerate(("a", "b", "c", "d", "e")):  # five from this address: its limit
        others[i % 2].post(words)
    assert visitor.post("1").status_code == 429  # the address is over its limit: "1" waits
    response = visitor.post("2")  # and the state is still "are you safe to talk?"
    assert response.status_code == 200 and "Call 911" in response.get_json()["entries"][1]["text"]


def trusting(config_dir, proxies: int) -> dict[str, str]:
    """org.yaml as the test config has it, with trusted_proxies set."""
    text = (config_dir / "org.yaml").read_text(encoding="utf-8")
    return {"org.yaml": text.replace("trusted_proxies: 0", f"trusted_proxies: {proxies}")}


def test_behind_a_trusted_proxy_one_address_is_limited_across_sessions_by_its_own_address(make_app, config_dir):
    _early_in_a_minute()
    client = make_app(limits=LIMITS, files=trusting(config_dir, 1)).test_client()
    here, there = {"X-Forwarded-For": "203.0.113.7"}, {"X-Forwarded-For": "198.51.100.9, 203.0.113.8"}
    visitors = [Visitor(client), Visitor(client), Visitor(client)]
    for visitor in visitors:
        visitor.start()
    answered = [visitors[i % 2].post(str(i), **here).status_code for i in range(6)]
    assert answered == [200] * 5 + [429]
    assert visitors[2].post("hello", **there).status_code == 200  # another address, its own count
    assert visitors[2].post("hello", **here).status_code == 429


def test_with_no_trusted_proxy_a_made_up_forwarded_for_changes_nothing(make_app):
    _early_in_a_minute()
    client = make_app(limits=LIMITS).test_client()
    visitors = [Visitor(client), Visitor(client)]
    for visitor in visitors:
        visitor.start()
    answered = [visitors[i % 2].post(str(i), **{"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                for i in range(6)]
    assert answered == [200] * 5 + [429]  # every message counted against the one real address


def test_new_chats_per_address_are_limited_with_the_safety_message(make_app, raw_redis):
    client = make_app(limits=LIMITS).test_client()
    for _ in range(3):
        Visitor(client).start()
    refused = client.post("/chat/session", json={"lang": "en"}, headers={"Origin": ORIGIN})
    assert refused.status_code == 429 and "911" in refused.get_json()["safety"]
    assert "Too many new chats" in refused.get_json()["error"]
    assert not [k for k in raw_redis.keys("lantern:{*}:state")][3:]  # three chats, no fourth


def test_a_blocked_web_chat_is_shown_the_safety_message_and_pages_nobody(visitor, roster, work, twilio_api):
    visitor.start()
    visitor.say("2")
    work()
    lantern = visitor.lantern
    code = lantern.stores.store.get(visitor.conv_key).case_code
    assert lantern.blocking.block(code, "24h", by="morgan diaz").kind.value == "blocked"
    twilio_api.reset()
    assert visitor.say("help") == [lantern.safety_message]
    work()
    assert twilio_api.sent == [] and lantern.stores.store.waiting_requests() == []


def test_a_burst_of_urgent_chats_from_one_network_pages_once_then_once_more_with_a_count(client, roster, work,
                                                                                         twilio_api, lantern):
    from messaging.bursts import WINDOW, page_burst
    from tests.conftest import ALEXIS, RILEY

    visitors = [Visitor(client) for _ in range(4)]
    for visitor in visitors:
        visitor.start()
        assert "Call 911" in visitor.say("2")[0]  # every one of them is answered, at once
    work()
    assert len(twilio_api.to(ALEXIS)) == 1 and len(twilio_api.to(RILEY)) == 1  # one page, not four
    codes = sorted(lantern.stores.store.get(v.conv_key).case_code for v in visitors)
    assert sorted(c.case_code for c in lantern.stores.store.waiting_requests()) == codes  # all four wait in the queue
    window = int(time.time() // WINDOW)
    assert f"lantern-burst-{window}" in lantern.queue.scheduled_job_registry.get_job_ids()
    assert page_burst(lantern.jobs[page_burst.__module__], window).startswith("paged")
    work()
    burst = twilio_api.to(ALEXIS)[-1]
    assert burst.startswith("Lantern: 3 more web chats asked for help within 10 min")
    assert all(code in burst for code in codes if code not in twilio_api.to(ALEXIS)[0])
    another_network = Visitor(client)
    another_network.client.environ_base = {"REMOTE_ADDR": "198.51.100.20"}
    another_network.start()
    another_network.say("2")
    work()
    assert len(twilio_api.to(ALEXIS)) == 3  # a chat from elsewhere pages on its own


def test_one_chat_raising_its_own_request_still_pages_again(visitor, roster, work, twilio_api):
    from tests.conftest import ALEXIS

    visitor.start()
    visitor.say("1")
    visitor.say("talk to a person")
    work()
    before = len(twilio_api.to(ALEXIS))
    visitor.say("he has a gun")
    work()
    assert len(twilio_api.to(ALEXIS)) > before
