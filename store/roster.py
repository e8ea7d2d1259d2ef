"""The roster of advocates in Redis: numbers encrypted, found by keyed hash of the number."""
from __future__ import annotations

import phonenumbers
from redis import Redis

from bot.advocates import Advocate, Role, advocate_id
from bot.capacity import DEFAULT_CAPACITY, CapacityError, checked_capacity, checked_languages
from store.crypto import Cipher, keyed_hash
from store.exceptions import RosterError
from store.keys import (
    ROSTER, ROSTER_PASSWORDS, ROSTER_PHONES, ROSTER_TOTP, ROSTER_TOTP_STEPS, holds_key, recovery_codes_key,
    totp_pending_key,
)


def normalise_phone(raw: str, region: str = "US") -> str:
    """E.164 (+15555550101) from what a person typed; RosterError when it isn't a phone number."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise RosterError("That is not a phone number; give it as +1 213 555 0101.") from None
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise RosterError("That is not a valid phone number; give it in E.164, like +12135550101.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def masked(phone: str) -> str:
    """How a number is ever shown: its last four digits."""
    return "••• " + phone[-4:]


class Roster:
    def __init__(self, redis: Redis, cipher: Cipher, lookup_key: bytes):
        self.redis = redis
        self.cipher = cipher
        self._lookup_key = lookup_key

    def add(self, name: str, phone: str, role: Role = Role.ADVOCATE, on_call: bool = False,
            available: bool = False, capacity: int = DEFAULT_CAPACITY, languages=("en",)) -> Advocate:
        name = " ".join(name.split())
        if not name:
            raise RosterError("A name is needed.")
        capacity, languages = _checked(capacity=capacity, languages=languages).values()
        advocate = Advocate(advocate_id(name), name, normalise_phone(phone), role, on_call, available, capacity,
                            languages)
        phone_hash = keyed_hash(self._lookup_key, advocate.phone)
        if self.redis.hexists(ROSTER, advocate.id):
            raise RosterError(f"{name} is already on the roster.")
        if self.redis.hexists(ROSTER_PHONES, phone_hash):
            raise RosterError("That number is already on the roster.")
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(ROSTER, advocate.id, self.cipher.encrypt(advocate.to_json()))
        pipe.hset(ROSTER_PHONES, phone_hash, advocate.id)
        pipe.execute()
        return advocate

    def remove(self, name: str) -> Advocate:
        advocate = self.named(name)
        pipe = self.redis.pipeline(transaction=True)
        pipe.hdel(ROSTER, advocate.id)
        pipe.hdel(ROSTER_PHONES, keyed_hash(self._lookup_key, advocate.phone))
        # Someone added later under the same name must not inherit this password.
        pipe.hdel(ROSTER_PASSWORDS, advocate.id)
        # Nor this second factor: they would set up their own.
        for factor in (ROSTER_TOTP, ROSTER_TOTP_STEPS):
            pipe.hdel(factor, advocate.id)
        pipe.delete(recovery_codes_key(advocate.id), totp_pending_key(advocate.id))
        pipe.execute()
        return advocate

    def update(self, name: str, **changes) -> Advocate:
        advocate = self.named(name)
        for field, value in _checked(**changes).items():
            setattr(advocate, field, value)
        self.redis.hset(ROSTER, advocate.id, self.cipher.encrypt(advocate.to_json()))
        return advocate

    def named(self, name: str) -> Advocate:
        advocate = self.get(advocate_id(name))
        if advocate is None:
            raise RosterError(f"No advocate named {' '.join(name.split())}.")
        return advocate

    def get(self, id_: str) -> Advocate | None:
        raw = self.redis.hget(ROSTER, id_)
        return Advocate.from_json(self.cipher.decrypt(raw)) if raw else None

    def by_phone(self, address: str) -> Advocate | None:
        """The advocate texting from this address, if any (SMS numbers only)."""
        id_ = self.redis.hget(ROSTER_PHONES, keyed_hash(self._lookup_key, address))
        return self.get(id_.decode()) if id_ else None  # type: ignore[union-attr]  # redis-py types replies loosely

    def all(self) -> list[Advocate]:
        advocates = [Advocate.from_json(self.cipher.decrypt(raw)) for raw in self.redis.hvals(ROSTER)]
        return sorted(advocates, key=lambda a: a.id)

    def to_page(self, urgent: bool) -> list[Advocate]:
        """Every available advocate, and for URGENT every on-call advocate as well."""
        return [a for a in self.all() if a.available or (urgent and a.on_call)]

    def supervisors(self) -> list[Advocate]:
        return [a for a in self.all() if a.role is Role.SUPERVISOR]

    def loads(self, advocates: list[Advocate]) -> dict[str, int]:
        """How many conversations each holds now, in one round trip."""
        pipe = self.redis.pipeline(transaction=False)
        for advocate in advocates:
            pipe.scard(holds_key(advocate.id))
        return {a.id: int(n) for a, n in zip(advocates, pipe.execute())} if advocates else {}

    def load(self, advocate_id_: str) -> int:
        return int(self.redis.scard(holds_key(advocate_id_)))


def _checked(**changes) -> dict:
    """Capacity and languages as the roster keeps them; RosterError with the reason otherwise."""
    try:
        if "capacity" in changes:
            changes["capacity"] = checked_capacity(changes["capacity"])
        if "languages" in changes:
            changes["languages"] = checked_languages(changes["languages"])
    except CapacityError as exc:
        raise RosterError(str(exc)) from None
    return changes
