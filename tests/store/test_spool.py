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
