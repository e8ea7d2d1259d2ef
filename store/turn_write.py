"""One turn's writes, sent as one atomic script that first checks the conversation was not changed meanwhile.

Everything a turn changes is recorded on a redis-py pipeline that is never executed itself: the
conversation's state and transcript, the MessageSid claim, the opt-out, the queue entry, the case code,
outbox records and RQ's own job writes (RQ takes `pipeline=`). `apply()` sends them to one Lua script
as its ARGV, framed once in RESP (store/script_call.py), each command as its length and its words, so
the script runs them with `unpack` and parses nothing itself. It compares the conversation's version
with the one the turn read, refuses if a case code it reserves is taken, and only then runs every
command. Redis runs a script whole, so a crash
anywhere leaves either all of the turn or none of it; a concurrent turn that wrote first makes this
one run again on fresh state instead of waiting for a lock.

A MessageSid's reply is kept by reference: the claim names the transcript item the turn pushed (its
index, known only inside the script), so the reply is not encrypted a second time.

The script names the keys it touches outside the conversation's slot (queue, case code, outbox, RQ) only
in its arguments, which one Redis (with replicas, or Sentinel) allows and a Redis Cluster does not.
"""
from __future__ import annotations

from redis import Redis

from store.keys import key_for
from store.replication import ReplicaWait
from store.script_call import ScriptCall, ThreadConnections

APPLIED, CHANGED, CODE_TAKEN = 1, 0, -1
REFERENCE = b"@"  # a MessageSid claim that names its turn's transcript item: "@<index>"

_APPLY = """
local unpack = unpack or table.unpack
local version = redis.call('GET', KEYS[1]) or '0'
if version ~= ARGV[1] then return 0 end
local at = 4
for _ = 1, tonumber(ARGV[3]) do
  if redis.call('EXISTS', ARGV[at]) == 1 then return -1 end
  at = at + 1
end
local references, first = tonumber(ARGV[at]), at + 1
at = first + 3 * references
redis.call('SET', KEYS[1], tonumber(version) + 1, 'EX', ARGV[2])
local last = #ARGV
while at <= last do
  local size = tonumber(ARGV[at])
  redis.call(unpack(ARGV, at + 1, at + size))
  at = at + size + 1
end
for ref = first, first + 3 * (references - 1), 3 do
  redis.call('SET', ARGV[ref], '@' .. (redis.call('LLEN', ARGV[ref + 1]) - 1), 'EX', ARGV[ref + 2])
end
return 1
"""


def _encoded(value) -> bytes:
    """As redis-py sends an argument: bytes as they are, text as UTF-8, numbers by their repr."""
    kind = type(value)
    if kind is bytes:
        return value
    if kind is str:
        return value.encode("utf-8")
    if kind is int:
        return b"%d" % value
    if isinstance(value, str):  # an enum of str (RQ's JobStatus)
        return value.encode("utf-8")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value).encode()
    if isinstance(value, memoryview):
        return value.tobytes()
    raise TypeError(f"a turn's write can't send a {type(value).__name__}")


class TurnWrite:
    """The writes of one turn; `pipe` records them (pass it as `pipeline=` to RQ and to the stores)."""

    def __init__(self, redis: Redis, conversation: str, version: int, ttl: int):
        self.pipe = redis.pipeline(transaction=False)
        self.conversation = conversation
        self.version = version
        self.ttl = ttl
        self.must_be_free: list[str] = []
        self.references: list[tuple[str, str, int]] = []
        self.after: list = []  # callables to run once applied (inline jobs, which run as they are enqueued)

    def reserve(self, key: str) -> None:
        """The write applies only if `key` does not exist yet (a new case code)."""
        self.must_be_free.append(key)

    def refer(self, key: str, log_key: str, ttl: int) -> None:
        """Once every command ran, set `key` to "@<index>" of the last item of the list at `log_key`."""
        self.references.append((key, log_key, ttl))

    def arguments(self) -> list[bytes]:
        """The script's ARGV: the version read, the TTL, the keys that must be free, the references
        (key, log key, TTL), then each command as its length and its words."""
        words = [b"%d" % self.version, b"%d" % self.ttl, b"%d" % len(self.must_be_free),
                 *(key.encode() for key in self.must_be_free), b"%d" % len(self.references)]
        for key, log_key, ttl in self.references:
            words += (key.encode(), log_key.encode(), b"%d" % ttl)
        for command, _options in self.pipe.command_stack:
            words.append(b"%d" % len(command))
            words += map(_encoded, command)
        return words

    @property
    def commands(self) -> int:
        return len(self.pipe.command_stack) + len(self.references)


class TurnWriter:
    """Applies TurnWrites: one EVALSHA each (the script is loaded once per Redis, by redis-py)."""

    def __init__(self, redis: Redis, ttl: int, replicas: ReplicaWait | None = None,
                 connections: ThreadConnections | None = None):
        self.redis = redis
        self.ttl = ttl
        self._script = ScriptCall(connections or ThreadConnections(redis), redis, _APPLY)
        self.replicas = replicas  # when this Redis has replicas

    def begin(self, conversation: str, version: int) -> TurnWrite:
        return TurnWrite(self.redis, conversation, version, self.ttl)

    def apply(self, write: TurnWrite) -> int:
        """APPLIED, CHANGED (someone wrote first: run the turn again) or CODE_TAKEN (pick another code)."""
        keys = [key_for(write.conversation, "version").encode()]
        if self.replicas is not None and self.replicas.wanted():  # EVALSHA and WAIT, one round trip
            result = self.replicas.run(self._script, keys, write.arguments())
        else:
            result = int(self._script(keys, write.arguments()))
        if result == APPLIED:
            for then in write.after:
                then()
        return result
