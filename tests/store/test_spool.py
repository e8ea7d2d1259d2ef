"""The outage spool on disk: processes append and replay the same directory, and nothing is lost between them."""
from __future__ import annotations

import threading

from bot.conversation import Inbound
from config.settings import new_data_key
from store.crypto import Cipher
from store.spool import Spool

KEY = new_data_key()


def test_messages_spooled_while_another_replay_takes_the_file_are_all_read_once(tmp_path):
    """A write that opened the file just before a replay renamed it used to land in the taken file after it was
    read, and went with it: a survivor's words lost (rule 8)."""
    writers, each = 4, 150
    done = threading.Event()
    read: list[str] = []

    def write(w: int) -> None:
        spool = Spool(tmp_path, Cipher((KEY,)))  # same process id: the same file, as gunicorn threads share it
        for n in range(each):
            spool.append(Inbound(f"SM{w:02d}{n:04d}", "+15555550142", f"words {w} {n}"), float(n))

    def replay() -> None:
        spool = Spool(tmp_path, Cipher((KEY,)))
        while not done.is_set() or spool.pending():
            taken, entries = spool.take()
            read.extend(e.inbound.sid for e in entries)
            spool.release(taken)

    replayer = threading.Thread(target=replay)
    replayer.start()
    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    replayer.join(timeout=30)
    assert sorted(read) == sorted(f"SM{w:02d}{n:04d}" for w in range(writers) for n in range(each))


def test_a_file_another_process_spools_after_an_empty_listing_is_seen_at_the_next_message(tmp_path):
    """pending() lists the directory only when it changed since it was listed empty: a spool file made by
    another web process (or one it left when it died) right after must still be seen, or its survivors'
    messages wait for a restart (rule 8)."""
    import os
    import time

    spool = Spool(tmp_path, Cipher((KEY,)))
    other = Spool(tmp_path, Cipher((KEY,)))
    old = time.time_ns() - 5_000_000_000
    os.utime(tmp_path, ns=(old, old))  # last changed long ago: the empty listing is remembered
    assert not spool.pending() and not spool.pending()
    (tmp_path / "inbound-otherhost-4242.spool").write_bytes(b"")  # a file made at once after the listing
    assert spool.pending()
    taken, _ = other.take()
    assert spool.pending()  # taken, mid-replay: still waiting
    other.release(taken)
    assert not spool.pending()
    # Changed within the clock's tick of the listing: never remembered as empty, so a file made in that
    # same tick (the same mtime) is still found.
    assert not spool.pending()
    now = os.stat(tmp_path).st_mtime_ns
    (tmp_path / "inbound-otherhost-4243.spool").write_bytes(b"")
    os.utime(tmp_path, ns=(now, now))  # as if made within the same tick as the change before
    assert spool.pending()


def test_the_spool_directory_is_made_when_the_web_role_starts_not_at_the_first_outage(tmp_path):
    """Made private (0700) at start: a directory it can't make is said then, and not found in a Redis outage."""
    directory = tmp_path / "instance" / "spool"
    spool = Spool(directory, Cipher((KEY,)))
    assert directory.is_dir() and (directory.stat().st_mode & 0o777) == 0o700
    assert not spool.pending()
