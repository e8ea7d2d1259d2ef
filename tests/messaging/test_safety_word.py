"""The personal safety word end to end: set by SMS, an ordinary reply, an URGENT page, nothing texted first."""
from __future__ import annotations

from store.keys import key_for
from tests.conftest import ALEXIS, RILEY, SAM
from tests.messaging.test_handoff import SURVIVOR, survivor_code

ORDINARY = "ok thanks!"


def held_by_alexis(make_texter, work):
    survivor = make_texter(SURVIVOR)
    survivor.send("hello"), survivor.send("1"), survivor.send("talk to someone")
    work()
    code = survivor_code(survivor)
    make_texter(ALEXIS).send(f"CLAIM {code}")
    work()
    return survivor, code


def test_set_by_sms_then_used_weeks_later_after_a_close(make_texter, work, roster, twilio_api, lantern, raw_redis,
                                                        captured_logs):
    survivor, code = held_by_alexis(make_texter, work)
    alexis = make_texter(ALEXIS)
    assert alexis.send(f"WORD {code} Pizza") == [f"Safety word set for {code}. It is kept encrypted and is not "
                                                  "shown again."]
    stored = raw_redis.get(key_for(lantern.stores.store.conversation_key(SURVIVOR), "word"))
    assert stored and b"izza" not in stored  # encrypted at rest
    alexis.send(f"CLOSE {code}")
    work()
    before = len(twilio_api.sent)
    assert survivor.send("hey did u want pizza tonight") == [ORDINARY]
    work()
    new_code = survivor_code(survivor)
    pages = [m for m in twilio_api.sent[before:]]
    for advocate in (ALEXIS, SAM, RILEY):  # URGENT: on-call paged at once
        assert twilio_api.to(advocate)[-1] == (f"Lantern: URGENT request {new_code} (en, area not given) "
                                               f"(safety word: do not text first). Reply CLAIM {new_code}")
    assert all(m.to != SURVIVOR for m in pages)  # nothing texted first
    assert "pizza" not in captured_logs.getvalue().lower()
    make_texter(SAM).send(f"CLAIM {new_code}")
    work()
    assert all(m.to != SURVIVOR for m in twilio_api.sent[before:])  # the claim sends no introduction either


def test_delete_erases_the_word_and_it_no_longer_works(make_texter, work, roster, lantern, raw_redis):
    survivor, code = held_by_alexis(make_texter, work)
    make_texter(ALEXIS).send(f"WORD {code} grandma's recipe")
    survivor.send("DELETE")
    assert raw_redis.get(key_for(lantern.stores.store.conversation_key(SURVIVOR), "word")) is None
    assert survivor.send("grandmas recipe") != [ORDINARY]


def test_stop_ends_it_and_the_advocate_can_clear_it(make_texter, work, roster, lantern, raw_redis):
    survivor, code = held_by_alexis(make_texter, work)
    alexis = make_texter(ALEXIS)
    alexis.send(f"WORD {code} pizza")
    assert alexis.send(f"WORD {code} clear") == [f"Safety word cleared for {code}."]
    assert survivor.send("pizza?") != [ORDINARY]
    alexis.send(f"WORD {code} pizza")
    survivor.send("STOP")
    assert raw_redis.get(key_for(lantern.stores.store.conversation_key(SURVIVOR), "word")) is None


def test_only_the_holder_sets_it_and_a_reserved_word_is_refused(make_texter, work, roster, lantern):
    survivor, code = held_by_alexis(make_texter, work)
    assert make_texter(SAM).send(f"WORD {code} pizza") == [f"{code} isn't yours. LIST shows yours."]
    reply = make_texter(ALEXIS).send(f"WORD {code} stop")
    assert reply[0].startswith(f"Safety word not set for {code}:")
    assert survivor.send("pizza") != [ORDINARY]
