"""New messages for a tab: as Server-Sent Events, or as JSON for a page that polls where SSE is blocked.

A stream ends after its first batch (or after `hold` seconds with nothing new) and the page asks again:
with the Procfile's sync workers the hold is 0, so no browser ever keeps a worker that Twilio needs.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Iterator

log = logging.getLogger(__name__)
CHECK_EVERY = 0.5  # seconds between looks at the inbox while a stream is held open


def event_stream(chats, conv_key: str, after: str | None, hold: int, retry_ms: int) -> Iterator[str]:
    """`retry` first (the browser's pause before asking again), then one event per message."""
    yield f"retry: {retry_ms}\n\n"
    deadline = time.monotonic() + hold
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
