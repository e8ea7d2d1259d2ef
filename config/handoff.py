"""org.yaml `handoff:` (how requests reach advocates) and `outcomes:` (the wrap-up codes of a close)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

MODES = ("broadcast", "offer")
DEFAULT_OUTCOMES = ("shelter_booked", "referred_legal", "referred_medical", "safety_plan", "declined", "no_reply")
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_DURATION = re.compile(r"^(\d+)\s*(s|sec|seconds?|m|min|minutes?|h|hours?)?$")


class HandoffConfigError(ValueError):
    """`handoff:` or `outcomes:` can't be used; the message names the file and key."""


@dataclass(frozen=True)
class HandoffConfig:
    mode: str = "broadcast"
    offer_seconds: int = 120
    language_wait: timedelta = timedelta(minutes=5)
    outcomes: tuple[str, ...] = field(default=DEFAULT_OUTCOMES)


def load_handoff(handoff, outcomes, path: Path) -> HandoffConfig:
    handoff = handoff or {}
    if not isinstance(handoff, dict):
        raise HandoffConfigError(f"{path}: 'handoff' must map mode, offer_seconds and language_wait")
    mode = handoff.get("mode", "broadcast")
    if mode not in MODES:
        raise HandoffConfigError(f"{path}: 'handoff.mode' is broadcast or offer, not {mode!r}")
    offer = handoff.get("offer_seconds", 120)
    if not isinstance(offer, int) or isinstance(offer, bool) or not 10 <= offer <= 3600:
        raise HandoffConfigError(f"{path}: 'handoff.offer_seconds' must be whole seconds from 10 to 3600")
    return HandoffConfig(mode, offer, _wait(handoff.get("language_wait", 5), path), _outcomes(outcomes, path))


def _wait(value, path: Path) -> timedelta:
    """Whole minutes (5), or a duration with its unit ('90s', '5 min', '1h'); 0 pages everyone at once."""
    match = _DURATION.match(str(value).strip().lower()) if not isinstance(value, bool) else None
    if match is None:
        raise HandoffConfigError(f"{path}: 'handoff.language_wait' is minutes (5) or a duration like 90s or 5m")
    amount, unit = int(match.group(1)), (match.group(2) or "m")[0]
    return timedelta(seconds=amount * {"s": 1, "m": 60, "h": 3600}[unit])


def _outcomes(value, path: Path) -> tuple[str, ...]:
    if value is None:
        return DEFAULT_OUTCOMES
    codes = list(value) if isinstance(value, (list, dict)) else None
    if not codes or not all(isinstance(c, str) and _CODE.match(c) for c in codes) or len(set(codes)) != len(codes):
        raise HandoffConfigError(f"{path}: 'outcomes' must list codes like shelter_booked (lower case, digits, _)")
    return tuple(codes)
