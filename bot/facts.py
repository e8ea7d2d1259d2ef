"""What the engine is told of the world for one turn: staffed or not, a safe place free tonight, windows."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from bot.conversation import Conversation, TurnFacts

WINDOW_STATE = "triage_window"
FREE_PLACE_TTL = 30.0


class LineFacts:
    """Built once from the hours (config/hours.py) and, when there is one, the shelters' state."""

    def __init__(self, hours, safe_place_tonight: Callable[[], bool | None] | None = None):
        self.hours = hours
        self.safe_place_tonight = safe_place_tonight
        self._staffed: tuple[bool, float, float] | None = None  # (staffed, valid from, valid until)
        self._free: tuple[bool | None, float] = (None, float("-inf"))  # (a place free tonight, asked at)

    def place_free_tonight(self, now: float) -> bool | None:
        """Asked of the shelters at most every half minute: a turn must not wait on it each time."""
        if self.safe_place_tonight is None:
            return None
        if now - self._free[1] >= FREE_PLACE_TTL:
            self._free = (self.safe_place_tonight(), now)
        return self._free[0]

    def staffed(self, at: datetime) -> bool:
        """Whether advocates are on shift; worked out again only when the last answer runs out."""
        moment = at.timestamp()
        cached = self._staffed
        if cached is None or not cached[1] <= moment < cached[2]:
            change = self.hours.next_change(at)
            cached = (self.hours.is_staffed(at), moment, change.timestamp() if change else float("inf"))
            self._staffed = cached
        return cached[0]

    def for_turn(self, conv: Conversation, now: float) -> TurnFacts:
        at = datetime.fromtimestamp(now, timezone.utc)
        # Windows only matter when the survivor is choosing one; skip the date sums otherwise.
        windows = ({name: self.hours.next_window(name, at).timestamp() for name in self.hours.windows}
                   if conv.state == WINDOW_STATE else {})
        return TurnFacts(staffed=self.staffed(at), safe_place_tonight=self.place_free_tonight(now),
                         window_opens=windows)
