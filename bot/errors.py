"""Errors the engine's edges agree on."""


class ConversationBusy(Exception):
    """The conversation's lock could not be had in time; the message was kept but not run."""
