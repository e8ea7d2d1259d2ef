"""Encryption at rest (AES-256-GCM, with MultiFernet's tokens still read) and keyed hashes of addresses.

Each LANTERN_DATA_KEYS key (a Fernet key) gives, through HKDF, an AES-256-GCM key: one authenticated
encryption in one C call, where a Fernet token costs AES-CBC, padding, an HMAC and a dozen Python
objects (a tenth of a webhook's CPU for a turn's two writes). A token is `L1` + urlsafe base64 of
key id (4 bytes), nonce (12) and ciphertext with its tag; the key id (authenticated too) names the key,
so rotation works as with MultiFernet: the first key encrypts, every listed key decrypts. Tokens
written by MultiFernet before (they start `gAAAA`) still decrypt with the same keys, and are written
in the new form the next time what they hold changes.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from store.exceptions import UnreadableData

PREFIX = b"L1"
_INFO = b"lantern data at rest: aes-256-gcm v1"
_UNREADABLE = "stored data does not decrypt with any of LANTERN_DATA_KEYS"


def _aead_key(fernet_key: str) -> tuple[bytes, AESGCM]:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        base64.urlsafe_b64decode(fernet_key))
    return hashlib.sha256(b"key id:" + derived).digest()[:4], AESGCM(derived)


class Cipher:
    """Encrypt with the first key; decrypt with any of them, so keys can be rotated."""

    def __init__(self, keys: tuple[str, ...]):
        self._fernet = MultiFernet([Fernet(k) for k in keys])
        self._keys = [_aead_key(k) for k in keys]
        self._by_id = dict(self._keys)

    def encrypt(self, text: str | bytes) -> bytes:
        """`text`, or its UTF-8 bytes (as orjson writes them), sealed."""
        key_id, aead = self._keys[0]
        nonce = os.urandom(12)
        sealed = aead.encrypt(nonce, text if isinstance(text, bytes) else text.encode("utf-8"), key_id)
        return PREFIX + base64.urlsafe_b64encode(key_id + nonce + sealed)

    def decrypt(self, token: bytes | str) -> str:
        if isinstance(token, str):
            token = token.encode("ascii", "replace")
        if not token.startswith(PREFIX):
            return self._decrypt_fernet(token)
        try:
            raw = base64.urlsafe_b64decode(token[len(PREFIX):])
            aead = self._by_id.get(raw[:4])
            if aead is None or len(raw) < 32:
                raise UnreadableData(_UNREADABLE)
            return aead.decrypt(raw[4:16], raw[16:], raw[:4]).decode("utf-8")
        except (InvalidTag, ValueError):  # tampered with, truncated, or not base64
            raise UnreadableData(_UNREADABLE) from None

    def _decrypt_fernet(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode("utf-8")
        except InvalidToken:
            raise UnreadableData(_UNREADABLE) from None


def keyed_hash(lookup_key: bytes, address: str) -> str:
    """The name of a conversation: HMAC-SHA256 of its address, hex, 32 characters."""
    return hmac.new(lookup_key, address.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
