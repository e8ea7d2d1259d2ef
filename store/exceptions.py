"""Narrow errors of the store, caught by the edges that know what to tell the user."""

from bot.errors import ConversationChanged


class StoreError(Exception):
    """Base class: the store could not do what was asked."""


class CaseCodeTaken(StoreError, ConversationChanged):
    """The case code a write reserved was taken meanwhile: the write did nothing; pick another."""


class UnreadableData(StoreError):
    """Stored data does not decrypt with the configured keys."""


class RosterError(StoreError):
    """A roster change that can't be made: the message is one clear line for the person who asked."""


class PasswordRejected(StoreError):
    """A console password that breaks a rule: the message names the rule."""


class ShelterError(StoreError):
    """Tonight's state for a place that can't be saved as given: the message says what to fix."""


class OutreachError(StoreError):
    """An outreach that can't be created or changed as given: the message says what to fix."""
