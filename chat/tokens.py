"""Web chat tokens: random, and signed with SECRET_KEY so a made-up one is refused before anything is read.

The token is the conversation's address ("web:<token>"): the store keeps only its keyed hash, as for a number.
"""
from __future__ import annotations

import re
import secrets

from itsdangerous import Signer

from chat.errors import ForgedToken, NoToken

HEADER = "X-Chat-Token"
_SALT = "lantern-web-chat"
_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{20,100}$")


def new_token(secret_key: str) -> str:
    return Signer(secret_key, salt=_SALT).sign(secrets.token_urlsafe(32)).decode()


def checked_token(secret_key: str, raw: str | None) -> str:
    """The token if this server made it; NoToken or ForgedToken (never quoting it) otherwise."""
    if not raw:
        raise NoToken(f"The {HEADER} header is missing: start a chat with POST /chat/session first.")
    if not _SHAPE.match(raw) or not Signer(secret_key, salt=_SALT).validate(raw):
        raise ForgedToken(f"The {HEADER} header is not a chat token this server issued.")
    return raw


def address_of(token: str) -> str:
    return "web:" + token
