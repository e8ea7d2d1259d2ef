"""New messages for a tab: as Server-Sent Events, or as JSON for a page that polls where SSE is blocked.

A stream ends after its first batch (or after `hold` seconds with nothing new) and the page asks again.
A held stream keeps one of the web worker's threads, so only `max_streams` are held at once in a
process (StreamSlots); any more answer at once, as with a hold of 0, and Twilio's webhooks keep theirs.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from typing import Iterator

log = logging.getLogger(__name__)
CHECK_EVERY = 0.5  # seconds between looks at the inbox while a stream is held open


class StreamSlots:
    """How many streams this process may hold open at once (chat.yaml max_streams)."""

    def __init__(self, count: int):
        self._free = threading.BoundedSemaphore(count)

    def take(self) -> bool:
        return self._free.acquire(blocking=False)

    def give_back(self) -> None:
        self._free.release()


def event_stream(chats, conv_key: str, after: str | None, hold: int, retry_ms: int,
                 slots: StreamSlots | None = None) -> Iterator[str]:
    """`retry` first (the browser's pause before asking again), then one event per message."""
    held = bool(hold) and slots is not None and slots.take()
    yield f"retry: {retry_ms}\n\n"
    deadline = time.monotonic() + (hold if held else 0)
    try:
        while True:
            entries = chats.since(conv_key, after)
            for entry in entries:
                yield f"id: {entry.id}\ndata: {json.dumps(entry.to_dict(), ensure_ascii=False)}\n\n"
            if entries or time.monotonic() >= deadline:
                return
            time.sleep(CHECK_EVERY)
            chats.touch(conv_key)
    except Exception as exc:  # headers are sent: end the stream; the page asks again after `retry`
        log.warning("web chat stream ended early: %s", type(exc).__name__)
    finally:
        if held:  # also when the browser went away mid-stream (the server closes the generator)
            slots.give_back()
