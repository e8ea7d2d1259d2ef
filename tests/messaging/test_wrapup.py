"""The wrap-up on close: outcome codes by SMS or the console's form, counted for the report, never words."""
from __future__ import annotations

from datetime import datetime

from bot.wrapup import read_outcomes
from config.handoff import DEFAULT_OUTCOMES
from tests.conftest import ALEXIS
from tests.messaging.test_capacity import ask_for_a_person

FIRST, SECOND = "+15555550166", "+15555550167"


def today(lantern) -> str:
    return datetime.now(lantern.settings.content.hours.zone).date().isoformat()


def report(app, lantern, *extra: str) -> str:
    day = today(lantern)
    result = app.test_cli_runner().invoke(args=["report", "--from", day, "--to", day, *extra])
    assert result.exit_code == 0, result.output
    return result.output


def row(output: str, label: str) -> str:
    return " ".join(next(line for line in output.splitlines() if line.startswith(label)).split())


def test_close_by_sms_records_outcome_codes_and_the_report_counts_them(app, make_texter, work, roster, lantern,
                                                                       twilio_api):
    survivor, code, _ = ask_for_a_person(make_texter, FIRST)
    alexis = make_texter(ALEXIS)
    alexis.send(f"CLAIM {code}")
    [reply] = alexis.send(f"CLOSE {code} shelter legal")
    assert reply.startswith(f"Closed {code}.")
    assert reply.endswith(f"\nOutcome recorded for {code}: shelter_booked, referred_legal.")
    work()
    assert twilio_api.to(FIRST)[-1].startswith("This conversation is closed.")
    text = report(app, lantern)
    assert row(text, "Outcome: shelter_booked") == "Outcome: shelter_booked 1 1"
    assert row(text, "Outcome: referred_legal") == "Outcome: referred_legal 1 1"
    assert row(text, "Outcome: declined") == "Outcome: declined 0 0"
    assert row(text, "Conversations closed") == "Conversations closed 1 1"
    assert "outcome.referred_legal,<5" in report(app, lantern, "--csv").replace("total,total,", "")
    events = [e["text"] for e in lantern.stores.store.transcript(survivor_key(lantern)) if e["by"] == "event"]
    assert "closed by Alexis (shelter_booked, referred_legal)" in events


def survivor_key(lantern) -> str:
    return lantern.stores.store.conversation_key(FIRST)


def test_words_that_are_not_outcome_codes_refuse_the_close_and_are_kept_nowhere(app, make_texter, work, roster,
                                                                               lantern, raw_redis):
    _, code, _ = ask_for_a_person(make_texter, FIRST)
    alexis = make_texter(ALEXIS)
    alexis.send(f"CLAIM {code}")
    [refusal] = alexis.send(f"CLOSE {code} she went to her sister")
    assert refusal.startswith(f"Not closed: outcomes are codes, like CLOSE {code} ")
    assert "shelter_booked" in refusal and "sister" not in refusal
    assert lantern.stores.store.get(survivor_key(lantern)).advocate == "alexis rivera"  # still open, still hers
    counters = [name for key in raw_redis.keys("lantern:report*") if raw_redis.type(key) == b"hash"
                for name in raw_redis.hkeys(key)]
    assert not any(b"sister" in name for name in counters)
    assert "Conversations closed 0" in " ".join(report(app, lantern).split())
    assert alexis.send(f"CLOSE {code} declined")[-1].endswith(f"Outcome recorded for {code}: declined.")


def test_a_plain_close_still_works_and_counts_only_the_close(app, make_texter, roster, lantern):
    _, code, _ = ask_for_a_person(make_texter, FIRST)
    alexis = make_texter(ALEXIS)
    alexis.send(f"CLAIM {code}")
    assert alexis.send(f"CLOSE {code}") == [f"Closed {code}. They got a closing line; their next text starts fresh."]
    assert row(report(app, lantern), "Conversations closed") == "Conversations closed 1 1"


def test_words_name_codes_by_a_part_only_no_other_code_has():
    assert read_outcomes("shelter legal", DEFAULT_OUTCOMES) == ["shelter_booked", "referred_legal"]
    assert read_outcomes("Medical, PLAN no_reply", DEFAULT_OUTCOMES) == ["referred_medical", "safety_plan", "no_reply"]
    assert read_outcomes("referred", DEFAULT_OUTCOMES) is None  # two codes share it: ambiguous
    assert read_outcomes("", DEFAULT_OUTCOMES) == []
