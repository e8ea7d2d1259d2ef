"""A fault at every round trip of a turn (before its commands reach Redis, or after they ran and the answer
was lost): the conversation and the queue stay whole, and Twilio's retry of the same MessageSid completes
the turn with the reply it would have had, paging each advocate once."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from store.keys import HANDOFF_QUEUE
from tests.conftest import ALEXIS, new_sid, twiml_messages
from tests.faults import faulty_app, plan  # noqa: F401 (fixtures)

SURVIVOR = "+15555550131"

app = faulty_app  # every fixture of this module runs on the faulty client


@dataclass(frozen=True)
class Scenario:
    setup: tuple[str, ...]       # what the survivor texts first
    sender: str                  # who sends the turn under test: "survivor" or "advocate"
    text: str
    claimed_first: bool = False  # Alexis claims before the turn


SCENARIOS = {
    "danger": Scenario(("hello",), "survivor", "he hits me"),
    "request": Scenario(("hello",), "survivor", "can I talk to a real person"),
    "claim": Scenario(("hello", "can I talk to a real person"), "advocate", "CLAIM {code}"),
    "stop": Scenario(("hello", "can I talk to a real person"), "survivor", "STOP", claimed_first=True),
}


def what_a_user_sees(lantern, twilio_api, code: str | None) -> dict:
    """The conversation, its place in the queue and who was texted: what survivor and advocates notice."""
    key = lantern.stores.store.conversation_key(SURVIVOR)
    conv = lantern.stores.store.get(key)
    said = [e["text"] for e in lantern.stores.store.transcript(key) if e["by"] == "survivor"]
    sent = sorted((m.to, m.body.replace(code or "????", "CODE")) for m in twilio_api.sent)
    return {
        "state": conv.state if conv else None, "priority": conv.priority if conv else None,
        "advocate": conv.advocate if conv else None, "opted_out": lantern.stores.store.is_opted_out(key),
        "queued": lantern.stores.redis.zscore(HANDOFF_QUEUE, key) is not None,
        "code_leads_back": conv is None or conv.case_code is None or lantern.stores.store.conversation_for_code(
            conv.case_code) == key,
        "said": said, "sent": sent,
    }


def run_scenario(name, client, lantern, roster_setup, work, twilio_api, plan, fail_at=None, after_send=False):
    """Set the scene, send the turn (failing where asked), retry it with the same MessageSid, send the jobs."""
    scenario = SCENARIOS[name]
    plan.arm()
    lantern.stores.redis.flushdb()
    roster_setup()
    twilio_api.reset()
    from tests.conftest import Texter

    survivor, alexis = Texter(client, SURVIVOR), Texter(client, ALEXIS)
    for text in scenario.setup:
        survivor.send(text)
    code = lantern.stores.store.get(lantern.stores.store.conversation_key(SURVIVOR)).case_code
    if scenario.claimed_first:
        alexis.send(f"CLAIM {code}")
    work()
    twilio_api.reset()
    sender = alexis if scenario.sender == "advocate" else survivor
    sid, text = new_sid(), scenario.text.format(code=code)
    plan.arm(fail_at=fail_at, after_send=after_send)
    first = sender.post(text, sid=sid)
    assert first.status_code == 200  # never a 5xx to Twilio, whatever broke
    trips = plan.round_trips
    plan.arm()
    retried = twiml_messages(sender.post(text, sid=sid))
    work()
    code = code or lantern.stores.store.get(lantern.stores.store.conversation_key(SURVIVOR)).case_code
    same = [r.replace(code, "CODE") for r in twiml_messages(first)], [r.replace(code, "CODE") for r in retried]
    return trips, *same, what_a_user_sees(lantern, twilio_api, code)


@pytest.fixture
def roster_setup(lantern):
    from bot.advocates import Role
    from tests.conftest import MORGAN, RILEY, SAM

    def setup():
        lantern.stores.roster.add("Alexis Rivera", ALEXIS, available=True)
        lantern.stores.roster.add("Sam Okafor", SAM, available=True)
        lantern.stores.roster.add("Riley Chen", RILEY, on_call=True)
        lantern.stores.roster.add("Morgan Diaz", MORGAN, role=Role.SUPERVISOR)
    return setup


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_fault_at_any_round_trip_leaves_the_turn_whole_and_a_retry_completes_it(
        name, client, lantern, roster_setup, work, twilio_api, plan):
    trips, clean_reply, _, expected = run_scenario(name, client, lantern, roster_setup, work, twilio_api, plan)
    assert trips >= 2 and expected["said"].count(SCENARIOS[name].text) <= 1
    for fail_at in range(1, trips + 1):
        for after_send in (False, True):
            _, first, retried, seen = run_scenario(name, client, lantern, roster_setup, work, twilio_api, plan,
                                                   fail_at, after_send)
            where = f"fault at round trip {fail_at}/{trips}, {'after' if after_send else 'before'} sending"
            assert first in (clean_reply, [lantern.safety_message]), where
            assert retried == clean_reply, where
            assert seen == expected, where
