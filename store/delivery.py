"""Twilio's delivery status of each message, ranked so that one arriving late never undoes a later one.

Status callbacks may arrive out of order: a "sent" after "delivered" or "read" changes nothing. The rank
is compared and written in one Lua script, so two callbacks racing on two web processes can't undo it.
"""
from __future__ import annotations

from redis import Redis

from store.keys import key_for

# queued has no callback (it is what the REST call answers). A failure outranks sent but not delivered:
# a phone that reported the message delivered or read has it, whatever else comes later.
RANKS = {"accepted": 0, "scheduled": 0, "queued": 0, "sending": 1, "sent": 2, "undelivered": 3, "failed": 3,
         "delivered": 4, "read": 5}
_RANKED_SET = """
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and tonumber(string.match(current, '^(%d+)')) >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. ARGV[3] .. '|' .. ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""


class DeliveryStates:
    def __init__(self, redis: Redis, retention_seconds: int):
        self.redis = redis
        self.retention = retention_seconds
        self._ranked_set = redis.register_script(_RANKED_SET)

    def record(self, conversation: str, twilio_sid: str, status: str, error_code: str = "") -> bool:
        """Keep a status if it is further along than the one kept; True when it was kept."""
        rank = RANKS.get(status)
        if rank is None:
            return False
        return bool(self._ranked_set(keys=[key_for(conversation, "delivery")],
                                     args=[twilio_sid, rank, status, error_code, self.retention]))

    def statuses(self, conversation: str) -> dict[str, tuple[str, str]]:
        """Twilio SID → (status, error code) for every message of a conversation that has one."""
        out = {}
        for sid, raw in self.redis.hgetall(key_for(conversation, "delivery")).items():
            _, status, code = raw.decode().split("|", 2)  # type: ignore[union-attr]  # redis-py types replies loosely
            out[sid.decode()] = (status, code)  # type: ignore[union-attr]  # redis-py types replies loosely
        return out

    def record_opt_out(self, conversation: str) -> None:
        """Twilio refused with 21610: they texted STOP. Kept forever, as STOP itself is (safety rule 7)."""
        self.redis.set(key_for(conversation, "optout"), b"1")
