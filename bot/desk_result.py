"""What became of an advocate's command: a kind the views compare, and the lines for the advocate."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class DeskKind(str, Enum):
    """Each kind is also the key of its line in flows/advocate.yaml."""

    CLAIMED = "claimed"
    CLAIMED_QUIET = "claimed_quiet"
    CLAIMED_NO_CONSENT = "claimed_no_consent"
    RELEASED = "released"
    CLOSED = "closed"
    CLOSED_SILENTLY = "closed_silently"
    TRANSFERRED = "transferred"
    SENT = "sent"
    LIST = "list"
    HELP = "help"
    WORD_SET = "word_set"
    WORD_CLEARED = "word_cleared"
    BOOKED = "booked"
    NEED_CODE = "need_code"
    NO_SUCH_CODE = "no_such_code"
    ALREADY_YOURS = "already_yours"
    HELD_BY_OTHER = "held_by_other"
    NOT_WAITING = "not_waiting"
    AT_CAPACITY = "at_capacity"
    NOT_YOURS = "not_yours"
    NOTHING_OPEN = "nothing_open"
    WHICH_ONE = "which_one"
    UNKNOWN_OUTCOME = "unknown_outcome"
    UNKNOWN_COMMAND = "unknown_command"
    WORD_HELP = "word_help"
    WORD_REJECTED = "word_rejected"
    NOT_SENT_QUIET = "not_sent_quiet"
    NOT_SENT_CONSENT = "not_sent_consent"
    NOT_SENT_STOPPED = "not_sent_stopped"
    NOT_SENT_CLOSED = "not_sent_closed"


# The kinds in which the command did what was asked.
DONE = frozenset({DeskKind.CLAIMED, DeskKind.CLAIMED_QUIET, DeskKind.CLAIMED_NO_CONSENT, DeskKind.RELEASED,
                  DeskKind.CLOSED, DeskKind.CLOSED_SILENTLY, DeskKind.TRANSFERRED, DeskKind.SENT, DeskKind.LIST,
                  DeskKind.HELP, DeskKind.WORD_SET, DeskKind.WORD_CLEARED, DeskKind.BOOKED})
# Commands whose reply is kept in the same write as their change (the rest remember it after).
WRITES_ITS_REPLY = frozenset({DeskKind.CLAIMED, DeskKind.CLAIMED_QUIET, DeskKind.CLAIMED_NO_CONSENT,
                              DeskKind.RELEASED, DeskKind.CLOSED, DeskKind.CLOSED_SILENTLY})


@dataclass(frozen=True)
class DeskResult:
    """What became of an advocate's command (`kind`) and the lines for them (by SMS, or on a page)."""

    kind: DeskKind
    replies: list[str]

    @property
    def done(self) -> bool:
        return self.kind in DONE

    @property
    def message(self) -> str:
        """The line a page shows for it (its first; the rest is the SMS summary): '' when there is none."""
        return self.replies[0] if self.replies else ""
