"""The demo organisation `make run` starts with: invented advocates, kept nowhere, with a console sign-in."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from bot.advocates import Role
from store.credentials import Credentials
from store.roster import Roster

# Invented people on numbers from the 555-01xx range kept for fiction.
DEMO_ROSTER = (
    ("Alexis Demo", "+12135550100", Role.ADVOCATE, True, False),
    ("Riley Demo", "+12135550199", Role.ADVOCATE, False, True),
    ("Morgan Demo", "+12135550198", Role.SUPERVISOR, False, False),
)
DEMO_ORG_NAME = "Lantern Demo Line (an invented organisation)"


@dataclass(frozen=True)
class DemoSignIn:
    name: str
    password: str


def seed_roster(roster: Roster) -> None:
    """Put the invented advocates on an empty roster: one on shift, one on call, one supervisor."""
    for name, phone, role, available, on_call in DEMO_ROSTER:
        roster.add(name, phone, role, on_call=on_call, available=available)


def seed_demo_org(roster: Roster, credentials: Credentials) -> DemoSignIn:
    """The demo roster, each with this run's console password (made up now, printed once, kept nowhere)."""
    seed_roster(roster)
    password = "demo-" + secrets.token_urlsafe(12)
    for advocate in roster.all():
        credentials.set_password(advocate.id, password, advocate.name)
    return DemoSignIn(name="Morgan Demo", password=password)
