"""Errors the engine's edges agree on."""


class ConversationBusy(Exception):
    """The conversation kept changing while a change to it was being made; nothing was written."""


class ConversationChanged(ConversationBusy):
    """Someone wrote the conversation after it was read: read it again and redo the change."""
