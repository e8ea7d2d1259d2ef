"""What one turn adds to the report counters: names only, never a number, a word or a case code.

Counted as it happens (the transcripts these could be read from expire and can be deleted).
"""
from __future__ import annotations

from bot.conversation import Conversation, Outcome, Priority, RelayToAdvocate, RequestAdvocate

CONTACT_GAP = 24 * 3600  # a text after a day of silence is a new contact, even mid-conversation
_STARTS = frozenset({"new", "idle"})
_OFFERS = frozenset({"danger_offer", "needs"})  # questions that offer a safe place tonight
_ACCEPTED = (("safe place tonight", "yes"), ("needs", "a safe place tonight"))


def turn_counts(before: Conversation, outcome: Outcome, now: float) -> list[str]:
    after, counts = outcome.conversation, []
    if _starts_contact(before, outcome, now):
        counts += ["contacts.returning" if before.created_at else "contacts.new",
                   f"lang.{after.lang}", f"channel.{after.channel}"]
        if before.outreach:
            counts.append(f"outreach.{before.outreach}.later")
    if after.outreach and not before.outreach:
        counts.append(f"outreach.{after.outreach}.first")
    if _became_urgent(before, outcome):
        counts.append("danger")
    if after.state in _OFFERS and outcome.previous_state != after.state:
        counts.append("place.offered")
    if any(after.answers.get(k) == v and before.answers.get(k) != v for k, v in _ACCEPTED):
        counts.append("place.accepted")
    if after.checkin and (not before.checkin or before.checkin["id"] != after.checkin["id"]):
        counts.append("checkin.consented")
    if before.checkin_sent_at and (before.last_inbound_at or 0) < before.checkin_sent_at:
        counts.append("checkin.answered")
    if outcome.intent == "safety_word":
        counts.append("safety_word.used")
    return counts


def _starts_contact(before: Conversation, outcome: Outcome, now: float) -> bool:
    if outcome.previous_state == "opted_out":
        return outcome.conversation.state != "opted_out"  # START: back again
    if outcome.previous_state in _STARTS:
        return True
    return before.last_inbound_at is not None and now - before.last_inbound_at >= CONTACT_GAP


def _became_urgent(before: Conversation, outcome: Outcome) -> bool:
    for effect in outcome.effects:
        if isinstance(effect, RequestAdvocate) and effect.priority is Priority.URGENT:
            return True
        if isinstance(effect, RelayToAdvocate) and effect.danger and before.priority is not Priority.URGENT:
            return True
    return False
