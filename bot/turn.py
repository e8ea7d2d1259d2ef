"""One message's run through the flow (a Turn), and the carrier the one shared Machine drives through it."""
from __future__ import annotations

import dataclasses
from typing import Any

from bot.conversation import Conversation, Effect, Inbound, TurnFacts
from bot.understanding import Reading

NOTHING_READ = Reading()


class Carrier:
    """What the shared Machine drives: its `state`, and the flow's conditions read from the turn it carries."""

    def __init__(self):
        self.turn: Turn | None = None
        self.state = ""

    def __getattr__(self, name: str):
        return getattr(self.turn, name)


@dataclasses.dataclass
class Turn:
    """One message's run through the flow, carried through the shared Machine; discarded afterwards."""

    conversation: Conversation
    inbound: Inbound
    now: float
    replies: list[str]
    effects: list[Effect]
    facts: TurnFacts
    triage: Any
    reading: Reading = NOTHING_READ

    @property
    def has_open_request(self) -> bool:
        return self.conversation.has_open_request

    @property
    def has_advocate(self) -> bool:
        return self.conversation.has_advocate

    @property
    def after_hours(self) -> bool:
        return not self.facts.staffed

    @property
    def safe_place_tonight(self) -> bool:
        return bool(self.facts.safe_place_tonight)

    @property
    def can_check_in(self) -> bool:
        """Asked once a session, and only by SMS: a web chat's tab is gone, and WhatsApp won't carry it."""
        return self.conversation.channel == "sms" and not self.conversation.checkin_asked

    @property
    def triage_urgent(self) -> bool:
        return self.triage.priority(set(self.conversation.risks)) == "URGENT"

    @property
    def triage_high(self) -> bool:
        return self.triage.priority(set(self.conversation.risks)) == "HIGH"

    # The Machine finds its models by equality: it must stay identity.
    __eq__ = object.__eq__
    __hash__ = object.__hash__
