"""Where every survivor's message comes in: run now, or, with Redis unreachable, spooled and replayed later.

The webhook and the web chat call `receive()`. When Redis can't be reached (down, timing out, or out of
memory) the message goes into the local spool and the caller answers with the static safety message. A
replayer thread then tries every few seconds; once Redis answers, the spool is replayed in arrival order
through the same service (danger pages go out, the conversation goes on from where it was), before this
process runs any newer message. The bot's replies to replayed messages are kept in the transcript but
not texted: the survivor had the safety message at the time, and a late text may find someone else
reading their phone (safety rule 2). An advocate sees the replayed messages and answers as they judge.

Many web processes share one spool directory and one line: each looks at the directory (not only at
what it spooled itself) before running a message, so a conversation whose earlier text waits in another
process's file, or in its replay under way, is spooled behind it rather than answered out of order.
With replicas (store/replication.py), a message whose write no replica confirmed in time is spooled as
well as answered, so a primary that dies at that moment loses nothing.
"""
from __future__ import annotations

import logging
import threading
import time

from redis.exceptions import ConnectionError as RedisConnectionError, ReadOnlyError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeout

from bot.conversation import Inbound
from bot.errors import ConversationBusy
from store.spool import Spool, Spooled

log = logging.getLogger(__name__)
RETRY_SECONDS = 2.0
REPLAY_WAIT = 1.5  # a new message waits this long at most for a replay under way in another thread (then spooled:
#                   the survivor has the safety reply within 3 s)


def is_outage(exc: BaseException) -> bool:
    """Redis can't take the message now (not a bug): unreachable, timing out, loading, or full; or its
    conversation kept changing under it (a burst from one phone): spooled, it runs a moment later."""
    if isinstance(exc, (RedisConnectionError, RedisTimeout, ConversationBusy, ReadOnlyError)):  # a replica now
        return True
    return isinstance(exc, ResponseError) and str(exc).startswith(("OOM", "LOADING", "MISCONF"))


class Intake:
    def __init__(self, service, spool: Spool, clock=time.time, replicas=None):
        self.service = service
        self.spool = spool
        self.clock = clock
        self.replicas = replicas  # a store.replication.ReplicaWait, when the Redis has replicas
        self._replaying = threading.Lock()
        self._thread: threading.Thread | None = None
        self._waiting = spool.pending()  # a file left by a process that died: replay it too
        if self._waiting:
            self.wake()

    def receive(self, inbound: Inbound) -> list[str] | None:
        """The replies; None when the message was spooled, or its number is blocked (answer with the static
        safety message)."""
        arrived = self.clock()
        try:
            if self._waiting or self.spool.pending():  # this process's spool, or another's
                self.replay()  # older messages first, so a conversation goes on in the order it was written
            if self._waiting:
                raise RedisConnectionError("spool not yet replayed")
            if self.replicas is not None:
                self.replicas.begin()
            replies = self.service.handle(inbound)
        except Exception as exc:
            if not is_outage(exc):
                raise
            self.keep(inbound, arrived)
            return None
        if self.replicas is not None and self.replicas.missed:
            self.keep(inbound, arrived)  # answered, and kept until a replay finds it on the new primary too
        return replies

    def keep(self, inbound: Inbound, arrived: float) -> None:
        self.spool.append(inbound, arrived)
        log.warning("message spooled (redis unreachable or the conversation busy), safety reply sent")
        self._waiting = True
        self.wake()

    def wake(self) -> None:
        """Start the replayer thread unless it runs."""
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._replay_until_empty, name="spool-replay", daemon=True)
            self._thread.start()

    def _replay_until_empty(self) -> None:
        while self._waiting:
            time.sleep(RETRY_SECONDS)
            self.replay()

    def replay(self, wait: float = REPLAY_WAIT) -> int:
        """Replay every spooled message, oldest first; returns how many ran. Stops at the first outage
        and keeps what is left (a message replayed twice runs once: the MessageSid is claimed)."""
        if not self._replaying.acquire(timeout=wait):
            return 0
        try:
            taken, entries = self.spool.take()
            done = 0
            for entry in entries:
                try:
                    self.service.handle(entry.inbound, now=entry.arrived_at)
                except Exception as exc:
                    if is_outage(exc):
                        self.spool.append_all(entries[done:])
                        self.spool.release(taken)
                        self._waiting = True
                        return done
                    # A bug, not an outage: set aside for the technical person, never blocking the line.
                    log.error("spooled message failed to replay, set aside", exc_info=True)
                    self.spool.set_aside(entry)
                done += 1
            self.spool.release(taken)
            self._waiting = self.spool.pending()
            if done:
                log.warning("spool replayed messages=%s", done)
            return done
        finally:
            self._replaying.release()


__all__ = ["Intake", "Spooled", "is_outage"]
