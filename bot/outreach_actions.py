"""The flow's actions for check-ins and the safety word (flows/survivor.yaml `do:`), mixed into the Engine."""
from __future__ import annotations

from typing import Any

from bot.conversation import Priority, RelayToAdvocate
from bot.outreach import CHECKIN_DAYS, DEFAULT_CHECKIN_WINDOW, ForgetSafetyWord, ScheduleCheckIn, checkin_id
from bot.transcript import transcript_text


class OutreachActions:
    """`_do_<action>(turn, value)` for the actions bot/flow.py knows; `turn` is bot.engine.Turn."""

    def _do_relay_safety_word(self, turn, _: Any) -> None:
        turn.conversation.priority = Priority.URGENT
        turn.effects.append(RelayToAdvocate(transcript_text(turn.inbound), danger=True, safety_word=True))

    def _do_safety_word_used(self, turn, _: Any) -> None:
        turn.conversation.safety_word_at = turn.now  # pages say "safety word: do not text first"

    def _do_forget_safety_word(self, turn, _: Any) -> None:
        if turn.conversation.safety_word_set:
            turn.conversation.safety_word_set = False
            turn.effects.append(ForgetSafetyWord())

    def _do_checkin(self, turn, after: str) -> None:
        """They agreed to one check-in: due after a week or a month, inside their window (afternoon until
        they choose)."""
        conv, id_ = turn.conversation, checkin_id(turn.now)
        due = turn.now + CHECKIN_DAYS[after] * 86400
        conv.checkin = {"id": id_, "at": turn.now, "due": due, "window": DEFAULT_CHECKIN_WINDOW}
        turn.effects.append(ScheduleCheckIn(id_, due, conv.lang))

    def _do_checkin_window(self, turn, window: str) -> None:
        if turn.conversation.checkin:
            turn.conversation.checkin = dict(turn.conversation.checkin, window=window, at=turn.now)

    def _do_cancel_checkin(self, turn, _: Any) -> None:
        turn.conversation.checkin = None

    def _do_checkin_asked(self, turn, _: Any) -> None:
        turn.conversation.checkin_asked = True
