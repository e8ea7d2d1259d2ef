"""Why the chat's endpoints refuse a request: each one a status and a message that says what to fix."""
from __future__ import annotations


class ChatRefused(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NoToken(ChatRefused):
    status = 401


class ForgedToken(ChatRefused):
    status = 403


class WrongOrigin(ChatRefused):
    status = 403


class ChatEnded(ChatRefused):
    status = 410


class TooLarge(ChatRefused):
    status = 413


class NotJson(ChatRefused):
    status = 415


class BadMessage(ChatRefused):
    status = 400


class TooMany(ChatRefused):
    status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
