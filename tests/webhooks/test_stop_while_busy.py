"""STOP while another turn of the same conversation is stuck mid-way: the person is opted out at once, and
nothing reaches them afterwards, from the bot or from an advocate. By SMS, WhatsApp and web chat."""
from __future__ import annotations

import threading

import pytest

from tests.chat.conftest import Visitor
from tests.conftest import ALEXIS, Texter
from tests.faults import FaultPlan, faulty_app, plan  # noqa: F401 (fixtures)

app = faulty_app  # every fixture of this module runs on the faulty client


class Stuck:
    """A turn that stops at its second round trip (after reading the conversation, before writing it)."""

    def __init__(self, plan: FaultPlan, send):
        self.plan, self.reply = plan, None
        self.thread = threading.Thread(target=self._run, args=(send,))
        self.thread.start()
        assert plan.stalled.wait(10), "the turn never got stuck"

    def _run(self, send):
        self.plan.arm(stall_at=2)
        self.reply = send()

    def finish(self):
        self.plan.release.set()
        self.thread.join(10)
        return self.reply


def survivor_key(lantern, address):
    return lantern.stores.store.conversation_key(address)


@pytest.mark.parametrize("address", ["+15555550133", "whatsapp:+15555550134"])
def test_stop_while_a_turn_is_stuck_by_text(address, client, lantern, roster, work, twilio_api, plan):
    survivor, alexis = Texter(client, address), Texter(client, ALEXIS)
    survivor.send("hello"), survivor.send("can I talk to a real person")
    work()
    code = lantern.stores.store.get(survivor_key(lantern, address)).case_code
    stuck = Stuck(plan, lambda: survivor.send("are you still there? please answer"))
    assert survivor.send("STOP") == []
    assert lantern.stores.store.is_opted_out(survivor_key(lantern, address))  # at once, with the other turn stuck
    assert stuck.finish() == []  # it ran again on the opted-out conversation: nothing more to say
    twilio_api.reset()
    alexis.send(f"CLAIM {code}")
    alexis.send(f"#{code} Hi, this is Alexis")
    work()
    assert twilio_api.to(address) == []
    entries = lantern.stores.store.transcript(survivor_key(lantern, address))
    said = [e["text"] for e in entries if e["by"] == "survivor"]
    assert said[-2:] == ["are you still there? please answer", "STOP"] or said[-2:] == [
        "STOP", "are you still there? please answer"]  # both kept, neither "unprocessed"
    assert not any(e.get("unprocessed") for e in entries)


def test_stop_while_a_turn_is_stuck_in_the_web_chat(client, lantern, roster, work, twilio_api, plan):
    visitor, alexis = Visitor(client), Texter(client, ALEXIS)
    visitor.start()
    visitor.say("can I talk to a real person")
    work()
    visitor.new()
    code = lantern.stores.store.get(visitor.conv_key).case_code
    stuck = Stuck(plan, lambda: visitor.say("are you still there? please answer"))
    visitor.say("STOP")
    assert lantern.stores.store.is_opted_out(visitor.conv_key)
    stuck.finish()
    shown = len(visitor.new())
    alexis.send(f"CLAIM {code}")
    alexis.send(f"#{code} Hi, this is Alexis")
    work()
    later = visitor.new()
    assert [e for e in later if e["by"] != "you"] == [] and shown >= 0
