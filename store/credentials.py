"""Console passwords: Argon2id hashes beside the roster, one per advocate."""
from __future__ import annotations

import hashlib
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from redis import Redis

from store.exceptions import PasswordRejected
from store.keys import ROSTER_PASSWORDS

MIN_LENGTH = 12
# Long enough for any passphrase; the cap only keeps one sign-in from hashing megabytes.
MAX_LENGTH = 256


def check_password_rules(password: str, name: str = "") -> str:
    """The password as it will be hashed (NFKC), or PasswordRejected naming the one rule it breaks.

    Length is the rule (NIST SP 800-63B): no demands for digits or symbols, which only make people
    write passwords down.
    """
    normalised = unicodedata.normalize("NFKC", password)
    if len(normalised) < MIN_LENGTH:
        raise PasswordRejected(f"A password needs at least {MIN_LENGTH} characters; that one has "
                               f"{len(normalised)}. A few words in a row are easy to remember.")
    if len(normalised) > MAX_LENGTH:
        raise PasswordRejected(f"A password can have at most {MAX_LENGTH} characters.")
    if name and " ".join(normalised.split()).casefold() == " ".join(name.split()).casefold():
        raise PasswordRejected("A password can't be your own name.")
    return normalised


class Credentials:
    def __init__(self, redis: Redis, hasher: PasswordHasher | None = None):
        self.redis = redis
        # argon2-cffi's defaults are Argon2id with RFC 9106's low-memory parameters.
        self.hasher = hasher or PasswordHasher()
        self._decoy: str | None = None  # hashed on the first sign-in: a worker never signs anyone in

    def decoy(self) -> str:
        """Checked when nobody has that name, so a wrong name takes as long as a wrong password."""
        if self._decoy is None:
            self._decoy = self.hasher.hash("decoy password never set for anyone")
        return self._decoy

    def set_password(self, advocate_id: str, password: str, name: str = "") -> None:
        """Hash and keep a new password; every console session of the advocate ends with the old one."""
        self.redis.hset(ROSTER_PASSWORDS, advocate_id, self.hasher.hash(check_password_rules(password, name)))

    def verify(self, advocate_id: str | None, password: str) -> bool:
        decoy = self.decoy()  # made before the name is looked at: the first sign-in is as slow for any name
        stored = self.redis.hget(ROSTER_PASSWORDS, advocate_id) if advocate_id else None
        candidate = unicodedata.normalize("NFKC", password)[:MAX_LENGTH + 1]
        try:
            self.hasher.verify(stored.decode() if stored else decoy, candidate)  # type: ignore[union-attr]  # redis-py types replies loosely
        except (VerificationError, InvalidHashError):
            return False
        if stored is None:
            return False
        if self.hasher.check_needs_rehash(stored.decode()):  # type: ignore[union-attr]  # redis-py types replies loosely
            self.redis.hset(ROSTER_PASSWORDS, advocate_id, self.hasher.hash(candidate))
        return stored is not None

    def has_password(self, advocate_id: str) -> bool:
        return bool(self.redis.hexists(ROSTER_PASSWORDS, advocate_id))

    def stamp(self, advocate_id: str) -> str:
        """A short fingerprint of the current hash: a session made with another one has ended."""
        stored = self.redis.hget(ROSTER_PASSWORDS, advocate_id) or b""
        return hashlib.sha256(stored).hexdigest()[:16]  # type: ignore[arg-type]  # redis-py types replies loosely
