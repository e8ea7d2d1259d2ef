"""One turn's writes, sent as one atomic script that first checks the conversation was not changed meanwhile.

Everything a turn changes is recorded on a redis-py pipeline that is never executed itself: the
conversation's state and transcript, the MessageSid claim, the opt-out, the queue entry, the case code,
outbox records and RQ's own job writes (RQ takes `pipeline=`). `apply()` sends them to one Lua script
as a single packed argument (length-prefixed strings: redis-py packs one argument much faster than
fifty): the script compares the conversation's version with the one the turn read, refuses if a case
code it reserves is taken, and only then runs every command. Redis runs a script whole, so a crash
anywhere leaves either all of the turn or none of it; a concurrent turn that wrote first makes this
one run again on fresh state instead of waiting for a lock.

A MessageSid's reply is kept by reference: the claim names the transcript item the turn pushed (its
index, known only inside the script), so the reply is not encrypted a second time.

The script names the keys it touches outside the conversation's slot (queue, case code, outbox, RQ) only
in its packed argument, which one Redis (with replicas, or Sentinel) allows and a Redis Cluster does not.
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
local packed, pos = ARGV[1], 1
local function take()
  local colon = string.find(packed, ':', pos, true)
  local size = tonumber(string.sub(packed, pos, colon - 1))
  pos = colon + size + 1
  return string.sub(packed, colon + 1, colon + size)
end
local version = redis.call('GET', KEYS[1]) or '0'
if version ~= take() then return 0 end
local ttl = take()
for _ = 1, tonumber(take()) do
  if redis.call('EXISTS', take()) == 1 then return -1 end
end
local references = {}
for _ = 1, tonumber(take()) do
  references[#references + 1] = {take(), take(), take()}
end
redis.call('SET', KEYS[1], tonumber(version) + 1, 'EX', ttl)
while pos <= #packed do
  local command = {}
  for i = 1, tonumber(take()) do command[i] = take() end
  redis.call(unpack(command))
end
for _, ref in ipairs(references) do
  redis.call('SET', ref[1], '@' .. (redis.call('LLEN', ref[2]) - 1), 'EX', ref[3])
end
return 1
"""


def _encoded(value) -> bytes:
    """As redis-py sends an argument: bytes as they are, text as UTF-8, numbers by their repr."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value).encode()
    if isinstance(value, memoryview):
        return value.tobytes()
    raise TypeError(f"a turn's write can't send a {type(value).__name__}")


def _pack_into(parts: list[bytes], items) -> None:
    """Append each item length-prefixed ("<size>:<bytes>"); bytes and text, nearly all a turn sends, first."""
    for item in items:
        kind = type(item)
        if kind is not bytes:
            item = item.encode("utf-8") if kind is str else _encoded(item)
        parts.append(b"%d:%b" % (len(item), item))


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

    def packed(self) -> bytes:
        parts: list[bytes] = []
        _pack_into(parts, (self.version, self.ttl, len(self.must_be_free), *self.must_be_free, len(self.references)))
        for reference in self.references:
            _pack_into(parts, reference)
        for command, _options in self.pipe.command_stack:
            count = b"%d" % len(command)
            parts.append(b"%d:%b" % (len(count), count))
            _pack_into(parts, command)
        return b"".join(parts)

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
            result = self.replicas.run(self._script, keys, [write.packed()])
        else:
            result = int(self._script(keys, [write.packed()]))
        if result == APPLIED:
            for then in write.after:
                then()
        return result
