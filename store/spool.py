"""The outage spool: messages that arrived while Redis could not be reached, kept on local disk until it is back.

Each web process appends to a file of its own (`inbound-<host>-<pid>.spool` in LANTERN_SPOOL_DIR), one
line per message, encrypted with the data keys (sender, words, MessageSid, arrival time), flushed to disk
before the survivor is answered. Any process on the same disk replays any file it can take: a file is
taken by renaming it (atomic on one filesystem), so two processes never replay the same one, and the file
of a process that died is replayed by the next one that starts or spools. Replays are idempotent on the
MessageSid, so a message replayed twice (a crash mid-replay) runs once. A file taken by a process that
died mid-replay is taken over by another after STALE_SECONDS.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from bot.conversation import Inbound
from store.crypto import Cipher

log = logging.getLogger(__name__)
SUFFIX = ".spool"
TAKEN = ".replaying"
STALE_SECONDS = 30.0  # a replay takes milliseconds a message: a file taken this long ago lost its process
_SETTLED_NS = 1_000_000_000  # far past the filesystem clock's tick (a few ms at most)


@dataclass(frozen=True)
class Spooled:
    inbound: Inbound
    arrived_at: float


class Spool:
    def __init__(self, directory: Path, cipher: Cipher):
        self.directory = directory
        self.cipher = cipher
        self._locks: dict[Path, int] = {}  # files this process took, locked until released
        self._listed_empty: int | None = None  # the directory's mtime (ns) when it was last listed empty
        try:  # made now, not at the first outage: a directory it can't make is said at start, and every
            # message's check (pending) is then a stat that finds it, not an exception
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            log.warning("spool directory can't be made (%s): messages during a Redis outage will be lost",
                        type(exc).__name__)

    @property
    def own_file(self) -> Path:
        # Named at each write, not at start: gunicorn forks its workers after the app is built.
        return self.directory / f"inbound-{socket.gethostname()}-{os.getpid()}{SUFFIX}"

    def append(self, inbound: Inbound, arrived_at: float) -> None:
        """Keep one message, on disk before this returns (the survivor's words must outlive a crash)."""
        self.append_all([Spooled(inbound, arrived_at)])

    def append_all(self, entries: list[Spooled]) -> None:
        """Under the file's lock, and only into the file still named ours: another process may have taken
        (renamed) it between our open and our write, and would never read what we wrote after it read."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        lines = b"".join(self._line(e) for e in entries)
        while True:
            own = self.own_file
            fd = os.open(own, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)  # a replay holds it from reading the file to removing it
                if _still_named(fd, own):
                    os.write(fd, lines)
                    os.fsync(fd)
                    return
            finally:
                os.close(fd)  # and with it the lock

    def pending(self) -> bool:
        """A message waits in this directory: spooled, or in a replay under way (any process's).

        Asked before every message, so the directory is listed only when it changed since it was last
        listed empty (its modification time, one stat): a file made, renamed or removed changes it."""
        try:
            changed = os.stat(self.directory).st_mtime_ns
        except FileNotFoundError:
            return False
        if changed == self._listed_empty:
            return False
        listed_at = time.time_ns()
        try:
            waiting = any(name.endswith(SUFFIX) or TAKEN in name for name in os.listdir(self.directory))
        except FileNotFoundError:
            return False
        # Trusted only when the change was older than the clock's tick at listing: a file made after the
        # listing then has a later time (one made within the same tick could have the same).
        self._listed_empty = changed if not waiting and listed_at - changed > _SETTLED_NS else None
        return waiting

    def take(self) -> tuple[list[Path], list[Spooled]]:
        """Take every spool file in the directory (this process's and others'), oldest message first."""
        taken, entries = [], []
        for path in self._takeable():
            mine = path.with_name(f"{path.name.split(TAKEN)[0]}{TAKEN}-{os.getpid()}")
            try:
                path.rename(mine)
            except FileNotFoundError:  # another process took it first
                continue
            # Held until release(): a write that opened the file before the rename finishes first and is
            # read here, or, coming later, finds the file no longer named its own and writes a new one.
            fd = os.open(mine, os.O_RDONLY)
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._locks[mine] = fd
            taken.append(mine)
            entries += self._read(mine)
        entries.sort(key=lambda e: e.arrived_at)
        return taken, entries

    def _takeable(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        files = list(self.directory.glob("*" + SUFFIX))
        for path in self.directory.glob(f"*{TAKEN}-*"):
            try:
                if time.time() - path.stat().st_ctime > STALE_SECONDS:  # renamed when taken: ctime says when
                    files.append(path)
            except FileNotFoundError:
                continue
        return sorted(files)

    def set_aside(self, entry: Spooled) -> None:
        """A message that can't be replayed (a bug): kept, encrypted, for the technical person to look at."""
        with open(self.directory / "set-aside.lines", "ab") as aside:
            aside.write(self._line(entry))

    def release(self, taken: list[Path]) -> None:
        for path in taken:
            path.unlink(missing_ok=True)
            fd = self._locks.pop(path, None)
            if fd is not None:
                os.close(fd)

    def _line(self, entry: Spooled) -> bytes:
        inbound = entry.inbound
        record = {"sid": inbound.sid, "address": inbound.address, "body": inbound.body,
                  "num_media": inbound.num_media, "at": entry.arrived_at}
        return self.cipher.encrypt(json.dumps(record, ensure_ascii=False)) + b"\n"

    def _read(self, path: Path) -> list[Spooled]:
        entries = []
        for number, line in enumerate(path.read_bytes().splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(self.cipher.decrypt(line))
            except Exception:  # a line cut by a crash mid-write, or from keys since retired: said, not guessed
                log.error("spool line unreadable, kept aside file=%s line=%s", path.name, number)
                with open(self.directory / "set-aside.lines", "ab") as aside:
                    aside.write(line + b"\n")
                continue
            entries.append(Spooled(Inbound(record["sid"], record["address"], record["body"], record["num_media"]),
                                   record["at"]))
        return entries


def _still_named(fd: int, path: Path) -> bool:
    """The open file is the one `path` names now (not renamed away by a replay since it was opened)."""
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False
