"""Twilio's error codes by what they mean and what Lantern does about each: one table, consulted in one place.

The same code may come back from the REST call that creates a message or, later, in its status callback;
both are handled the same way (messaging/delivery.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Action(str, Enum):
    OPTED_OUT = "opted_out"    # final: stop, and record the opt-out
    RETRY = "retry"            # often temporary: try again with back-off, then report
    PERMANENT = "permanent"    # this number can never get it: tell the advocate plainly
    REWORD = "reword"          # filtered: tell the advocate; the wording may need changing
    WINDOW = "window"          # outside WhatsApp's 24-hour window: hold it until they write
    FAILED = "failed"          # anything else: failed, with its code


@dataclass(frozen=True)
class TwilioError:
    code: int
    meaning: str    # what the console shows beside the message
    action: Action
    advocate_text: str  # the key of the advocate's line in flows/advocate.yaml

    @property
    def final(self) -> bool:
        return self.action is not Action.RETRY


ERRORS: dict[int, TwilioError] = {e.code: e for e in (
    TwilioError(21610, "they texted STOP to this number", Action.OPTED_OUT, "notice_stopped"),
    TwilioError(30003, "their phone could not be reached", Action.RETRY, "failed_unreachable"),
    TwilioError(30005, "that number does not exist", Action.PERMANENT, "failed_unknown_number"),
    TwilioError(30006, "that number is a landline", Action.PERMANENT, "failed_landline"),
    TwilioError(30007, "the phone company filtered it", Action.REWORD, "failed_filtered"),
    TwilioError(63016, "WhatsApp's 24-hour window had closed", Action.WINDOW, "held_no_template"),
    TwilioError(63018, "WhatsApp's rate limit", Action.RETRY, "failed_rate_limit"),
    TwilioError(20429, "Twilio's rate limit", Action.RETRY, "failed_rate_limit"),
)}


def twilio_error(code: int | str | None) -> TwilioError:
    """The table's row for a code; a code not in it is a plain failure that names its number."""
    try:
        number = int(code or 0)
    except (TypeError, ValueError):
        number = 0
    return ERRORS.get(number) or TwilioError(number, f"Twilio error {number}" if number else "no reason given",
                                             Action.FAILED, "not_delivered")
