"""Safety rule 2 as the last check before a message leaves: who may be texted, and when."""
from __future__ import annotations

import pytest

from bot.contact_rules import why_not_send
from bot.conversation import Conversation, Priority

NOW = 10_000.0


def conv(**fields) -> Conversation:
    base = dict(key="k", address="+15555550190", state="with_advocate", advocate="alexis", contact_ok=True,
                priority=Priority.NORMAL, session=3, last_inbound_at=NOW - 3600)
    base.update(fields)
    return Conversation(**base)


@pytest.mark.parametrize("changes, opted_out, reason", [
    ({}, False, None),
    ({}, True, "stopped"),
    ({"state": "opted_out"}, False, "stopped"),
    ({"state": "quiet"}, False, "quiet"),
    ({"session": 4}, False, "closed"),            # closed or deleted since it was queued
    ({"contact_ok": False}, False, "consent"),    # never said yes to being texted first
    ({"advocate": "sam"}, False, "closed"),       # released or transferred since
    ({"state": "waiting", "advocate": None}, False, "closed"),
])
def test_a_relay_goes_only_to_someone_who_can_be_texted(changes, opted_out, reason):
    assert why_not_send(conv(**changes), "relay", 3, "alexis", opted_out, NOW) == reason


def test_a_deleted_conversation_gets_nothing():
    assert why_not_send(None, "relay", 3, "alexis", False, NOW) == "deleted"


def test_the_bot_keeps_its_fifteen_minute_silence_promise():
    waiting = dict(state="waiting", advocate=None, silence_promised=True)
    assert why_not_send(conv(**waiting, last_inbound_at=NOW - 16 * 60), "holding", 3, None, False, NOW) == "silence"
    assert why_not_send(conv(**waiting, last_inbound_at=NOW - 5 * 60), "holding", 3, None, False, NOW) is None
    assert why_not_send(conv(**dict(waiting, silence_promised=False)), "holding", 3, None, False, NOW) is None


def test_a_booked_window_holds_first_texts_but_not_replies_to_someone_texting_now():
    booked = dict(window="morning", last_inbound_at=NOW - 8 * 3600)
    assert why_not_send(conv(**booked), "intro", 3, "alexis", False, NOW, window_open=False) == "window"
    assert why_not_send(conv(**booked), "intro", 3, "alexis", False, NOW, window_open=True) is None
    engaged = dict(booked, last_inbound_at=NOW - 60)
    assert why_not_send(conv(**engaged), "relay", 3, "alexis", False, NOW, window_open=False) is None


def test_a_closing_line_goes_once_the_conversation_has_moved_on():
    closed = conv(state="new", advocate=None, contact_ok=False, session=4)
    assert why_not_send(closed, "closing", 4, "alexis", False, NOW) is None
    assert why_not_send(closed, "closing", 4, "alexis", True, NOW) == "stopped"


@pytest.mark.parametrize("changes, opted_out, reason", [
    ({}, False, None),
    ({"contact_ok": False}, False, "consent"),  # never a template to someone who didn't say yes
    ({"state": "quiet"}, False, "quiet"),
    ({}, True, "stopped"),
])
def test_the_whatsapp_reopen_template_passes_the_same_check(changes, opted_out, reason):
    assert why_not_send(conv(**changes), "reopen", 3, "alexis", opted_out, NOW) == reason
