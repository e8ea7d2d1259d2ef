"""The plain data the engine works on: conversations, inbound messages, outcomes and effects."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import orjson

from bot.outreach import Card, ForgetSafetyWord, ScheduleCheckIn


class Priority(str, Enum):
    URGENT = "URGENT"
    HIGH = "HIGH"
    NORMAL = "NORMAL"

    @property
    def rank(self) -> int:
        """Lower ranks are served first."""
        return _RANK[self]

    def at_least(self, other: "Priority | None") -> "Priority":
        """Return the more urgent of the two (a request is never lowered)."""
        return self if other is None or self.rank <= other.rank else other


_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2}


@dataclass
class Conversation:
    """One survivor's conversation, named by the keyed hash of their address."""

    key: str
    address: str
    state: str = "new"
    lang: str = "en"
    answers: dict[str, str] = field(default_factory=dict)
    area: str | None = None
    priority: Priority | None = None
    case_code: str | None = None
    contact_ok: bool = False
    unreadable: int = 0
    last_holding_at: float | None = None
    requested_at: float | None = None
    created_at: float = 0.0
    updated_at: float = 0.0
    # The advocate holding the conversation (roster id and first name), once claimed.
    advocate: str | None = None
    advocate_name: str | None = None
    claimed_at: float | None = None
    # Grows at every close and DELETE: a message queued in an earlier session is never sent.
    session: int = 0
    # After hours: the triage answers that count as risk, the window they chose for a first text
    # (and when it next opens), whether the bot promised silence after 15 quiet minutes.
    risks: list[str] = field(default_factory=list)
    window: str | None = None
    window_from: float | None = None
    silence_promised: bool = False
    last_inbound_at: float | None = None
    after_hours: bool = False
    # Danger the bot read in their words: [{"category", "said", "at"}], for the advocate (encrypted at rest).
    danger_signals: list[dict] = field(default_factory=list)
    # How many writes the store had made of it when it was read; never stored in the conversation itself.
    version: int = field(default=0, compare=False)
    # Outreach (bot/outreach.py): the card they texted, kept across sessions until DELETE: which outreach,
    # the advocate on the card (paged first) and the day they met.
    outreach: str | None = None
    card_advocate: str | None = None
    met_on: str | None = None
    # One check-in they agreed to ({"id", "at", "due", "window"}), and when the last one was sent.
    checkin: dict | None = None
    checkin_sent_at: float | None = None
    checkin_asked: bool = False
    # A safety word is set (the word itself is kept apart, encrypted: store/safety_word.py); when it was used.
    safety_word_set: bool = False
    safety_word_at: float | None = None
    # A call to the hotline that nobody took (webhooks/voice.py): queued, and nobody texts them first.
    missed_call_at: float | None = None

    def copy(self) -> "Conversation":
        """A copy a turn may change, its answers too (as dataclasses.replace, without re-running __init__
        over every field: a tenth of an engine step)."""
        clone = object.__new__(Conversation)
        clone.__dict__.update(self.__dict__)
        clone.answers = dict(self.answers)
        return clone

    @property
    def has_open_request(self) -> bool:
        return self.priority is not None and self.advocate is None

    @property
    def has_advocate(self) -> bool:
        return self.advocate is not None

    @property
    def channel(self) -> str:
        return channel_of(self.address)

    def to_json(self) -> str:
        data = dict(vars(self))  # not asdict(): its deep copy costs more than the rest of the write
        data["priority"] = self.priority.value if self.priority else None
        del data["version"]
        return orjson.dumps(data).decode()  # compact, UTF-8 as it is (json's ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str | bytes) -> "Conversation":
        data = orjson.loads(raw)
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data and name != "version"}
        if known.get("priority"):
            known["priority"] = Priority(known["priority"])
        return cls(**known)


def channel_of(address: str) -> str:
    """Return 'whatsapp', 'web' or 'sms' from an address such as 'whatsapp:+15550100'."""
    prefix, sep, _ = address.partition(":")
    return prefix if sep and prefix in ("whatsapp", "web") else "sms"


@dataclass(frozen=True)
class Inbound:
    """One message as it arrived, already cleaned (see webhooks/parsing.py)."""

    sid: str
    address: str
    body: str
    num_media: int = 0


# Effects: what the service must do outside the conversation's own keys.
@dataclass(frozen=True)
class RequestAdvocate:
    """Put the conversation in the handoff queue, or raise its priority there."""

    priority: Priority
    after_hours: bool = False  # nobody on shift: URGENT and HIGH page the on-call advocates
    booked: bool = False       # a time was chosen: nobody is paged until the shift or the window


@dataclass(frozen=True)
class TurnFacts:
    """What the engine is told of the world outside the conversation for one turn."""

    staffed: bool = True
    safe_place_tonight: bool | None = None  # None: nobody has said
    window_opens: dict[str, float] = field(default_factory=dict)  # contact window → next opening
    card: Card | None = None          # a live card code in this message
    safety_word: str | None = None    # their safety word, folded, when one is set


@dataclass(frozen=True)
class WithdrawRequest:
    """Take the conversation out of the handoff queue."""


@dataclass(frozen=True)
class EraseTranscript:
    """Delete the transcript and answers now (DELETE)."""


@dataclass(frozen=True)
class RecordOptOut:
    """Keep the STOP record forever (a keyed hash only)."""


@dataclass(frozen=True)
class LiftOptOut:
    """START/UNSTOP lifts the STOP record."""


@dataclass(frozen=True)
class RelayToAdvocate:
    """Pass the survivor's message to the advocate holding the conversation."""

    text: str
    danger: bool = False
    safety_word: bool = False


@dataclass(frozen=True)
class AdvocateNotice:
    """Tell the advocate holding the conversation that it stopped, went quiet or was erased."""

    advocate: str
    event: str
    code: str | None = None  # the case code, kept here: DELETE wipes it from the conversation


Effect = (RequestAdvocate | WithdrawRequest | EraseTranscript | RecordOptOut | LiftOptOut | RelayToAdvocate
          | AdvocateNotice | ScheduleCheckIn | ForgetSafetyWord)


@dataclass
class OpenedTurn:
    """What one read at the start of a turn finds: a reply already given, an advocate, the conversation."""

    stored_reply: list[str] | None
    advocate_id: str | None
    conversation: Conversation
    blocked: bool = False  # a supervisor blocked the number: the static safety message only


@dataclass
class Outcome:
    conversation: Conversation
    replies: list[str]
    effects: list[Effect]
    intent: str
    previous_state: str
    counts: tuple[str, ...] = ()  # report counters this turn moves (bot/report_events.py)
