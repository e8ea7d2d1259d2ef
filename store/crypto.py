"""Encryption at rest (MultiFernet) and keyed hashes of addresses (HMAC-SHA256)."""
from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from store.exceptions import UnreadableData


class Cipher:
    """Encrypt with the first key; decrypt with any of them, so keys can be rotated."""

    def __init__(self, keys: tuple[str, ...]):
        self._fernet = MultiFernet([Fernet(k) for k in keys])

    def encrypt(self, text: str) -> bytes:
        return self._fernet.encrypt(text.encode("utf-8"))

    def decrypt(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode("utf-8")
        except InvalidToken:
            raise UnreadableData("stored data does not decrypt with any of LANTERN_DATA_KEYS") from None


def keyed_hash(lookup_key: bytes, address: str) -> str:
    """The name of a conversation: HMAC-SHA256 of its address, hex, 32 characters."""
    return hmac.new(lookup_key, address.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
