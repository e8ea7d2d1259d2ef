"""A turn's two scripts, sent on a connection of the calling thread's own, with no client work but the socket's.

Every turn makes two round trips, its read (an MGET and an HGET, pipelined) and its write (`_APPLY`). Through redis-py's command
path each cost the web process about 65 µs of CPU, of which the socket itself (send, wait, read, parse) is
about 30: the rest is the pool (a lock, a readiness poll and observability counters on every borrow and
return), the retry wrapper, argument encoding and the script helper. Here the EVALSHA is packed once into
RESP bytes and sent on a connection that the thread keeps (made by the client's own pool, so Sentinel,
TLS, timeouts, the health check and the retry policy are the client's), then read by the connection's
own parser: about 32 µs.

What the pool's checks guarded is kept: a connection whose round trip failed in any way is closed (no
reply half-read is ever left for the next one: of two pipelined, an error in the first closes it too), a process that forked makes its own, and a connection
that went stale (Redis restarted, or the Sentinel primary moved) fails its round trip, is reconnected
and tried once more under the client's retry policy, as redis-py does. A script Redis no longer holds
(restarted, or a new primary) is loaded and run again.
"""
from __future__ import annotations

import hashlib
import os
import threading

from redis import Redis
from redis.exceptions import NoScriptError


def resp(*parts: bytes) -> bytes:
    """One command in RESP, Redis's wire form: an array of bulk strings."""
    return b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%b\r\n" % (len(part), part) for part in parts)


class ThreadConnections:
    """One connection per thread (and per process) on `redis`'s pool settings."""

    def __init__(self, redis: Redis):
        self.pool = redis.connection_pool
        self._local = threading.local()

    def round_trip(self, payload: bytes, replies: int = 1):
        """Send `payload` (one RESP command, or `replies` of them pipelined) and read its reply (a list of
        them when several); a failure of the socket closes the connection and is tried again as the
        client's retry policy says."""
        connection = self._connection()
        return connection.retry.call_with_retry(lambda: self._once(connection, payload, replies),
                                                lambda _error: connection.disconnect())

    @staticmethod
    def _once(connection, payload: bytes, replies: int):
        try:
            connection.connect()  # a no-op when connected; else as the pool connects (Sentinel: the primary)
            connection.send_packed_command([payload])
            if replies == 1:
                return connection.read_response()
            return [connection.read_response() for _ in range(replies)]
        except NoScriptError:
            raise
        except BaseException:
            connection.disconnect()  # whatever broke, nothing of this round trip is left on the socket
            raise

    def _connection(self):
        connection = getattr(self._local, "connection", None)
        if connection is None or connection.pid != os.getpid():
            connection = self.pool.make_connection()
            self._local.connection = connection
        return connection


class ScriptCall:
    """A Lua script called with EVALSHA on the thread's own connection."""

    def __init__(self, connections: ThreadConnections, redis: Redis, source: str):
        self.connections = connections
        self.redis = redis
        self.source = source
        self.sha = hashlib.sha1(source.encode()).hexdigest()
        self._head = (b"EVALSHA", self.sha.encode())

    def __call__(self, keys: list[bytes], args: list[bytes]):
        """The script's reply. `keys` and `args` are bytes, as they go on the wire."""
        payload = resp(*self._head, b"%d" % len(keys), *keys, *args)
        try:
            return self.connections.round_trip(payload)
        except NoScriptError:
            self.redis.script_load(self.source)
            return self.connections.round_trip(payload)
