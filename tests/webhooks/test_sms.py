"""POST /webhooks/sms end to end: signed requests, real Redis, TwiML back."""
from __future__ import annotations

import threading

import pytest

from store.keys import HANDOFF_QUEUE, key_for
from tests.conftest import HOTLINE_NUMBER, Texter, new_sid, signed_post, twiml_messages


def conversation_key(lantern, number: str) -> str:
    return lantern.stores.store.conversation_key(number)


def test_first_message_names_emergency_number_and_hotline(texter):
    [reply] = texter.send("hello")
    assert "911" in reply and "1-888-373-7888" in reply and "233733" in reply
    assert "1 " in reply and "2 " in reply and "3 " in reply


def test_reply_is_twiml(texter):
    response = texter.post("hello")
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    assert response.data.startswith(b"<?xml")


def test_full_path_to_a_safe_place_queues_a_high_request(texter, lantern):
    texter.send("hi")
    assert "What do you need" in texter.send("1")[0]
    assert "city or neighborhood" in texter.send("1")[0]
    [reply] = texter.send("Long Beach")
    assert "this same number" in reply
    [waiting] = lantern.stores.store.waiting_requests()
    assert (waiting.priority.value, waiting.area, waiting.lang) == ("HIGH", "Long Beach", "en")
    assert len(waiting.case_code) == 4


def test_spanish_first_message_gets_spanish_and_danger_goes_urgent(make_texter, lantern):
    texter = make_texter("+15555550102")
    assert "Si estás en peligro" in texter.send("hola, necesito ayuda")[0]
    [reply] = texter.send("me pega y no puedo salir")
    assert "911" in reply and "1-888-373-7888" in reply
    [waiting] = lantern.stores.store.waiting_requests()
    assert waiting.priority.value == "URGENT" and waiting.lang == "es"


def test_whatsapp_is_answered_the_same_way(make_texter):
    [reply] = make_texter("whatsapp:+15555550103").send("hello")
    assert "911" in reply


def test_stop_gives_empty_twiml_and_silence_until_start(texter):
    texter.send("hello")
    assert texter.send("STOP") == []
    assert texter.send("hello?") == []
    assert texter.send("he's coming") == []
    [reply] = texter.send("start")
    assert "911" in reply


def test_stop_is_kept_after_delete(texter, lantern, raw_redis):
    texter.send("hello")
    texter.send("stop")
    texter.send("DELETE")
    conv = conversation_key(lantern, texter.number)
    assert raw_redis.exists(key_for(conv, "optout"))
    assert raw_redis.ttl(key_for(conv, "optout")) == -1  # kept forever
    assert not raw_redis.exists(key_for(conv, "log"))
    assert texter.send("hello") == []


def test_delete_erases_transcript_and_answers_at_once(texter, lantern, raw_redis):
    texter.send("hello")
    texter.send("2")
    assert lantern.stores.store.waiting_requests()
    assert texter.send("delete") == ["Done."]
    conv = conversation_key(lantern, texter.number)
    assert not raw_redis.exists(key_for(conv, "log"))
    assert not raw_redis.exists(key_for(conv, "state"))
    assert lantern.stores.store.waiting_requests() == []
    assert "911" in texter.send("hello")[0]  # starts fresh


def test_media_without_text_asks_for_words_and_is_not_fetched(texter, lantern):
    texter.send("hello")
    [reply] = texter.send("", media=1)
    assert "Pictures can't be opened" in reply
    entries = lantern.stores.store.transcript(conversation_key(lantern, texter.number))
    assert entries[-2]["text"] == "[media]"


def test_retry_of_a_message_sid_gets_the_identical_reply_and_runs_once(texter, lantern):
    texter.send("hello")
    sid = new_sid()
    first = texter.send("1", sid=sid)
    conv = conversation_key(lantern, texter.number)
    log_length = len(lantern.stores.store.transcript(conv))
    again = texter.send("1", sid=sid)
    assert again == first
    assert len(lantern.stores.store.transcript(conv)) == log_length
    assert lantern.stores.store.get(conv).state == "needs"


def test_twenty_simultaneous_messages_from_one_number_each_run_once(app, lantern):
    number = "+15555550104"
    sids = [new_sid() for _ in range(20)]
    statuses: list[int] = []

    def send(sid: str) -> None:
        statuses.append(Texter(app.test_client(), number).post("hello there", sid=sid).status_code)

    threads = [threading.Thread(target=send, args=(sid,)) for sid in sids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 20
    entries = lantern.stores.store.transcript(conversation_key(lantern, number))
    assert len([e for e in entries if e["by"] == "survivor"]) == 20
    assert not any(e.get("unprocessed") for e in entries)


@pytest.mark.parametrize("missing", ["From", "MessageSid"])
def test_missing_required_field_is_a_plain_400(client, missing):
    params = {"MessageSid": new_sid(), "From": "+15555550105", "Body": "hi"}
    del params[missing]
    response = signed_post(client, "/webhooks/sms", params)
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert missing in response.get_data(as_text=True)


def test_long_body_is_cut_and_bad_characters_dropped(texter, lantern):
    texter.send("hello")
    texter.send("1")
    texter.send("1")
    texter.send("Long\x00 Beach 🌟 " + "x" * 2000)
    entries = lantern.stores.store.transcript(conversation_key(lantern, texter.number))
    area_entry = [e for e in entries if e["by"] == "survivor"][-1]["text"]
    assert len(area_entry) <= 1600
    assert "\x00" not in area_entry and "🌟" in area_entry


def test_unknown_extra_fields_are_ignored(client):
    params = {"MessageSid": new_sid(), "From": "+15555550106", "Body": "hello", "To": HOTLINE_NUMBER,
              "SomethingNew": "value", "ApiVersion": "2010-04-01"}
    response = signed_post(client, "/webhooks/sms", params)
    assert response.status_code == 200 and "911" in twiml_messages(response)[0]


def test_waiting_gets_a_holding_line_not_menus(texter, lantern):
    texter.send("hello")
    texter.send("can I talk to someone")
    [holding] = texter.send("are you there?")
    assert "advocate will text you soon" in holding and "911" in holding
    assert texter.send("hello??") == []  # not again within the holding interval
    assert len(lantern.stores.store.waiting_requests()) == 1


def test_queue_orders_by_priority_then_wait(make_texter, lantern, raw_redis):
    normal, high, urgent = (make_texter(f"+1555555011{i}") for i in range(3))
    normal.send("hello")
    normal.send("talk to a person")
    high.send("hello"), high.send("1"), high.send("1"), high.send("Long Beach")
    urgent.send("hello"), urgent.send("2")
    order = [c.priority.value for c in lantern.stores.store.waiting_requests()]
    assert order == ["URGENT", "HIGH", "NORMAL"]
    assert raw_redis.zcard(HANDOFF_QUEUE) == 3


def test_asking_for_a_person_while_waiting_is_always_answered(texter):
    texter.send("hello")
    texter.send("can I talk to someone")
    texter.send("are you there?")  # the holding line
    [reply] = texter.send("I need a real person please")
    assert "advocate will text you soon" in reply and "911" in reply
