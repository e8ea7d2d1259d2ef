"""The flow's actions (flows/survivor.yaml `do:`) for requests, contact, the area, STOP, DELETE and relays,
mixed into the Engine as bot/outreach_actions.py's are: `_do_<action>(turn, value)`."""
from __future__ import annotations

import re
from typing import Any

from bot.conversation import (
    AdvocateNotice, Conversation, EraseTranscript, LiftOptOut, Priority, RecordOptOut, RelayToAdvocate,
    RequestAdvocate, WithdrawRequest,
)
from bot.outreach import carry_over, forget_everything_carried
from bot.reading import NEED_LABELS
from bot.transcript import transcript_text
from bot.turn import Turn

AREA_MAX = 40
_NOT_AREA = re.compile(r"[\d#]+")


class FlowActions:
    """Needs `content` (config's Content) and `_text(key, turn)` from the Engine."""

    content: Any

    def _text(self, key: str, turn: Turn) -> str:
        raise NotImplementedError

    def _do_request_advocate(self, turn: Turn, value: str) -> None:
        conv = turn.conversation
        priority = Priority(value).at_least(conv.priority)
        if conv.advocate:  # already with a person: nothing to queue
            conv.priority = priority
            return
        if priority != conv.priority:
            conv.priority = priority
            conv.requested_at = conv.requested_at or turn.now
            conv.after_hours = conv.after_hours or turn.after_hours
            turn.effects.append(RequestAdvocate(priority, after_hours=turn.after_hours))

    def _do_withdraw_request(self, turn: Turn, _: Any) -> None:
        conv = turn.conversation
        if conv.priority is not None or conv.advocate is not None:
            conv.advocate = conv.advocate_name = conv.claimed_at = None
            conv.priority = None
            conv.requested_at = None
            turn.effects.append(WithdrawRequest())

    def _do_contact_ok(self, turn: Turn, value: bool) -> None:
        turn.conversation.contact_ok = value

    def _do_set_area(self, turn: Turn, _: Any) -> None:
        turn.conversation.area = clean_area(turn.inbound.body)

    def _do_hold(self, turn: Turn, _: Any) -> None:
        conv = turn.conversation
        interval = self.content.org.holding_interval.total_seconds()
        if conv.last_holding_at is None or turn.now - conv.last_holding_at >= interval:
            conv.last_holding_at = turn.now
            turn.replies.append(self._text("holding", turn))

    def _do_erase(self, turn: Turn, _: Any) -> None:
        turn.conversation.answers = {}
        turn.conversation.area = None
        turn.conversation.danger_signals = []
        # Who they met, a check-in and the safety word go too: only counts that name nobody stay.
        forget_everything_carried(turn.conversation)
        turn.effects.append(EraseTranscript())  # the commit erases the safety word's key with the rest

    def _do_opt_out(self, turn: Turn, _: Any) -> None:
        turn.effects.append(RecordOptOut())

    def _do_opt_in(self, turn: Turn, _: Any) -> None:
        turn.effects.append(LiftOptOut())

    def _do_fresh(self, turn: Turn, _: Any) -> None:
        old = turn.conversation
        turn.conversation = Conversation(key=old.key, address=old.address, lang=old.lang, created_at=old.created_at,
                                         session=old.session + 1, last_inbound_at=old.last_inbound_at)
        carry_over(old, turn.conversation)
        turn.conversation.state = old.state

    def _do_relay(self, turn: Turn, _: Any) -> None:
        turn.effects.append(RelayToAdvocate(transcript_text(turn.inbound)))

    def _do_relay_danger(self, turn: Turn, _: Any) -> None:
        turn.conversation.priority = Priority.URGENT
        turn.effects.append(RelayToAdvocate(transcript_text(turn.inbound), danger=True))

    def _do_tell_advocate(self, turn: Turn, event: str) -> None:
        if turn.conversation.advocate:
            turn.effects.append(AdvocateNotice(turn.conversation.advocate, event, turn.conversation.case_code))

    def _do_promise_silence(self, turn: Turn, _: Any) -> None:
        turn.conversation.silence_promised = True

    def _do_youth_line(self, turn: Turn, _: Any) -> None:
        if "under_18" in turn.conversation.risks:
            turn.replies.append(self.content.triage.youth_line[turn.conversation.lang])

    def _do_book(self, turn: Turn, window: str) -> None:
        """Queue a NORMAL request for the time they chose; nobody is paged or texted before it."""
        conv = turn.conversation
        conv.window, conv.window_from = window, turn.facts.window_opens.get(window)
        if conv.priority is None:
            conv.priority, conv.requested_at, conv.after_hours = Priority.NORMAL, turn.now, True
            turn.effects.append(RequestAdvocate(Priority.NORMAL, after_hours=True, booked=True))

    def _do_resources(self, turn: Turn, _: Any) -> None:
        """The lines for what they named (food, medical…), or every line when they named none."""
        conv = turn.conversation
        by_need = self.content.resources_by_need[conv.lang]
        named = [by_need[n] for n in NEED_LABELS if n in turn.reading.meanings and n in by_need]
        turn.replies.append("\n".join(dict.fromkeys(line for lines in named for line in lines))
                            if named else "\n".join(self.content.resources[conv.lang]))


def clean_area(text: str) -> str | None:
    """Keep a general area only: no digits (street numbers, phone numbers), short."""
    area = " ".join(_NOT_AREA.sub(" ", text).split()).strip(" ,.;:-")
    return area[:AREA_MAX].strip() or None
