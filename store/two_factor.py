"""Console second factors: a TOTP secret per advocate (RFC 6238, what every authenticator app reads), kept
encrypted with the data keys; the last time step a code was accepted for (so each code works once); ten
one-time recovery codes, kept as Argon2id hashes; and an epoch that every change bumps, so that the
advocate's other console sessions end. No secret or code is ever logged or kept in clear.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from enum import Enum
from typing import Callable

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from redis import Redis

from store.crypto import Cipher
from store.keys import ROSTER_FACTOR_EPOCHS, ROSTER_TOTP, ROSTER_TOTP_STEPS, recovery_codes_key, totp_pending_key

STEP_SECONDS = 30
DRIFT_STEPS = 1  # a phone's clock a step behind or ahead still works
RECOVERY_CODES = 10
PENDING_SECONDS = 15 * 60  # time to scan the QR code and confirm before the secret offered is dropped
# No 0/o, 1/l/i: codes are read off paper. Ten characters of 31: about 50 bits each.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_CODE_LENGTH = 10

# Accept a time step only if it is later than the last one accepted: a code seen over a shoulder, or sent
# twice, is refused, even within its own 30 seconds, and even by another web process.
_ACCEPT_STEP = """
local last = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '-1')
if tonumber(ARGV[2]) > last then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
return 0
"""


class CodeCheck(str, Enum):
    OK = "ok"
    WRONG = "wrong"
    REUSED = "reused"  # right for a time step already used: a replay
    NOT_SET = "not set"


@dataclass(frozen=True)
class FactorState:
    enrolled: bool
    epoch: str  # changes whenever the factor is set up, reset or a recovery code is used


class TwoFactor:
    def __init__(self, redis: Redis, cipher: Cipher, clock: Callable[[], float] = time.time,
                 hasher: PasswordHasher | None = None):
        self.redis = redis
        self.cipher = cipher
        self.clock = clock
        # OWASP's smallest Argon2id (19 MiB, 2 passes): a recovery code carries 50 random bits of its own,
        # and a sign-in may check all ten.
        self.hasher = hasher or PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
        self._accept_step = redis.register_script(_ACCEPT_STEP)

    def state(self, advocate_id: str) -> FactorState:
        pipe = self.redis.pipeline(transaction=False)
        pipe.hexists(ROSTER_TOTP, advocate_id)
        pipe.hget(ROSTER_FACTOR_EPOCHS, advocate_id)
        enrolled, epoch = pipe.execute()
        return FactorState(bool(enrolled), (epoch or b"0").decode())

    def enrolled(self, advocate_id: str) -> bool:
        return bool(self.redis.hexists(ROSTER_TOTP, advocate_id))

    def enrolled_ids(self) -> set[str]:
        return {raw.decode() for raw in self.redis.hkeys(ROSTER_TOTP)}  # type: ignore[union-attr]  # redis-py types replies loosely

    def begin(self, advocate_id: str) -> str:
        """A new secret to offer (QR code and text), held encrypted until a code from it confirms it."""
        secret = pyotp.random_base32()
        self.redis.set(totp_pending_key(advocate_id), self.cipher.encrypt(secret), ex=PENDING_SECONDS)
        return secret

    def pending(self, advocate_id: str) -> str | None:
        token = self.redis.get(totp_pending_key(advocate_id))
        return self.cipher.decrypt(token) if token else None

    def confirm(self, advocate_id: str, code: str) -> list[str] | None:
        """Set up the pending secret if `code` is right for it: the new recovery codes (to show once)."""
        secret = self.pending(advocate_id)
        step = _matching_step(secret, code, self.clock()) if secret else None
        if step is None:
            return None
        codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(ROSTER_TOTP, advocate_id, self.cipher.encrypt(secret or ""))  # set: the step matched it
        pipe.hset(ROSTER_TOTP_STEPS, advocate_id, step)  # the confirming code can't sign anyone in
        pipe.delete(recovery_codes_key(advocate_id), totp_pending_key(advocate_id))
        pipe.sadd(recovery_codes_key(advocate_id), *[self.hasher.hash(_plain(c)) for c in codes])
        pipe.hincrby(ROSTER_FACTOR_EPOCHS, advocate_id, 1)
        pipe.execute()
        return codes

    def check_code(self, advocate_id: str, code: str) -> CodeCheck:
        token = self.redis.hget(ROSTER_TOTP, advocate_id)
        if token is None:
            return CodeCheck.NOT_SET
        step = _matching_step(self.cipher.decrypt(token), code, self.clock())
        if step is None:
            return CodeCheck.WRONG
        accepted = self._accept_step(keys=[ROSTER_TOTP_STEPS], args=[advocate_id, step])
        return CodeCheck.OK if accepted else CodeCheck.REUSED

    def use_recovery(self, advocate_id: str, code: str) -> int | None:
        """Spend one recovery code: how many are left, or None if it is not one (or already spent)."""
        candidate = _plain(code)
        if len(candidate) != _CODE_LENGTH:
            return None
        key = recovery_codes_key(advocate_id)
        for stored in self.redis.smembers(key):
            try:
                self.hasher.verify(stored.decode(), candidate)  # type: ignore[union-attr]  # redis-py types replies loosely
            except (VerificationError, InvalidHashError):
                continue
            pipe = self.redis.pipeline(transaction=True)
            pipe.srem(key, stored)
            pipe.scard(key)
            pipe.hincrby(ROSTER_FACTOR_EPOCHS, advocate_id, 1)
            removed, left, _ = pipe.execute()
            return left if removed else None  # removed by a sign-in at the same moment: spent
        return None

    def recovery_left(self, advocate_id: str) -> int:
        return int(self.redis.scard(recovery_codes_key(advocate_id)))

    def reset(self, advocate_id: str) -> bool:
        """Take away the advocate's second factor (lost phone); their sessions end. Whether they had one."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.hdel(ROSTER_TOTP, advocate_id)
        pipe.hdel(ROSTER_TOTP_STEPS, advocate_id)
        pipe.delete(recovery_codes_key(advocate_id), totp_pending_key(advocate_id))
        pipe.hincrby(ROSTER_FACTOR_EPOCHS, advocate_id, 1)
        return bool(pipe.execute()[0])


def provisioning_uri(secret: str, name: str, issuer: str) -> str:
    """The otpauth:// address the QR code carries (30-second steps, 6 digits, SHA-1: what every app reads)."""
    return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(name=name, issuer_name=issuer)


def grouped(code: str) -> str:
    """A recovery code as shown: two groups of five."""
    return f"{code[:5]}-{code[5:]}"


def _matching_step(secret: str, code: str, now: float) -> int | None:
    digits = "".join(code.split())
    if len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = totp.timecode(now)
    for step in range(current + DRIFT_STEPS, current - DRIFT_STEPS - 1, -1):
        if secrets.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def _new_recovery_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_LENGTH))


def _plain(code: str) -> str:
    return "".join(ch for ch in code.casefold() if ch.isalnum())
