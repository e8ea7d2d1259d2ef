"""One turn's writes, sent as one atomic script that first checks the conversation was not changed meanwhile.

Everything a turn changes is recorded on a redis-py pipeline that is never executed itself: the
conversation's state and transcript, the MessageSid claim, the opt-out, the queue entry, the case code,
outbox records and RQ's own job writes (RQ takes `pipeline=`). `apply()` sends them as the arguments of
one Lua script: it compares the conversation's version with the one the turn read, refuses if a case code
it reserves is taken, and only then runs every command. Redis runs a script whole, so a crash anywhere
leaves either all of the turn or none of it; a concurrent turn that wrote first makes this one run
again on fresh state instead of waiting for a lock.

The script names the keys it touches outside the conversation's slot (queue, case code, outbox, RQ) only
in its arguments, which one Redis (with replicas, or Sentinel) allows and a Redis Cluster does not.
"""
from __future__ import annotations

from redis import Redis

from store.keys import key_for

APPLIED, CHANGED, CODE_TAKEN = 1, 0, -1

_APPLY = """
local unpack = unpack or table.unpack
local version = redis.call('GET', KEYS[1]) or '0'
if version ~= ARGV[1] then return 0 end
local at = 4
for _ = 1, tonumber(ARGV[3]) do
  if redis.call('EXISTS', ARGV[at]) == 1 then return -1 end
  at = at + 1
end
redis.call('SET', KEYS[1], tonumber(version) + 1, 'EX', ARGV[2])
while at <= #ARGV do
  local count = tonumber(ARGV[at])
  redis.call(unpack(ARGV, at + 1, at + count))
  at = at + count + 1
end
return 1
"""


class TurnWrite:
    """The writes of one turn; `pipe` records them (pass it as `pipeline=` to RQ and to the stores)."""

    def __init__(self, redis: Redis, conversation: str, version: int, ttl: int):
        self.pipe = redis.pipeline(transaction=False)
        self.conversation = conversation
        self.version = version
        self.ttl = ttl
        self.must_be_free: list[str] = []
        self.after: list = []  # callables to run once applied (inline jobs, which run as they are enqueued)

    def reserve(self, key: str) -> None:
        """The write applies only if `key` does not exist yet (a new case code)."""
        self.must_be_free.append(key)

    def arguments(self) -> list:
        args: list = [self.version, self.ttl, len(self.must_be_free), *self.must_be_free]
        for command, _options in self.pipe.command_stack:
            args.append(len(command))
            args.extend(command)
        return args

    @property
    def commands(self) -> int:
        return len(self.pipe.command_stack)


class TurnWriter:
    """Applies TurnWrites: one EVALSHA each (the script is loaded once per Redis, by redis-py)."""

    def __init__(self, redis: Redis, ttl: int):
        self.redis = redis
        self.ttl = ttl
        self._script = redis.register_script(_APPLY)
        self.replicas = None  # a store.replication.ReplicaWait when this Redis has replicas

    def begin(self, conversation: str, version: int) -> TurnWrite:
        return TurnWrite(self.redis, conversation, version, self.ttl)

    def apply(self, write: TurnWrite) -> int:
        """APPLIED, CHANGED (someone wrote first: run the turn again) or CODE_TAKEN (pick another code)."""
        keys = [key_for(write.conversation, "version")]
        if self.replicas is not None and self.replicas.wanted():  # EVALSHA and WAIT, one round trip
            result = self.replicas.run(self._script, keys, write.arguments())
        else:
            result = int(self._script(keys=keys, args=write.arguments()))
        if result == APPLIED:
            for then in write.after:
                then()
        return result
