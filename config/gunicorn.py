"""gunicorn settings file for the web role (the Procfile's --config): refuse to start with settings that
would let slow clients or chat streams starve Twilio's webhooks. The options themselves stay in the
Procfile, where a deployment reads them."""
from __future__ import annotations

import logging
import os
import re
import selectors
import sys
import time
from concurrent import futures
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # gunicorn execs this file by path

from dotenv import load_dotenv  # noqa: E402
from gunicorn.workers import gthread  # noqa: E402

from config.chat import load_chat  # noqa: E402
from config.serving import ServingError, check_serving  # noqa: E402
from config.settings import DEFAULT_CONFIG_DIR  # noqa: E402


def on_starting(server) -> None:
    logging.getLogger("gunicorn.error").addFilter(_quiet_read_timeouts)
    load_dotenv(override=False)  # as the app itself reads .env
    config_dir = Path(os.environ.get("LANTERN_CONFIG_DIR") or DEFAULT_CONFIG_DIR)
    try:
        check_serving(server.cfg.worker_class_str, server.cfg.threads, load_chat(config_dir / "chat.yaml"))
    except ServingError as exc:
        raise SystemExit(str(exc)) from None


# A connection that sends part of a request and then nothing for this long is closed: it never holds a
# thread meanwhile (its bytes wait in the worker's poller), but it holds a connection slot.
READ_TIMEOUT_SECONDS = 5.0
# However it trickles, a request must have arrived whole this long after its connection opened.
REQUEST_SECONDS = 20.0
MAX_HEAD_BYTES = 64 * 1024        # past this, gunicorn's own limits answer it (431 or 400)
MAX_BUFFERED_BODY = 256 * 1024    # the app's MAX_CONTENT_LENGTH: a larger one is refused by the app
# Answered on the worker's main thread, never in the pool: Twilio's webhooks (and the health check) run
# one at a time per process, as fast as a sync worker, and no chat stream or slow client can delay them.
INLINE_PATHS = (b"/webhooks/", b"/healthz")


class _TimedConnection(gthread.TConn):
    def __init__(self, *args):
        super().__init__(*args)
        self.buffered = b""
        self.opened = time.monotonic()

    def init(self):
        fresh = not self.initialized
        super().init()  # the worker thread calls this before every request it reads (blocking mode)
        if fresh and self.buffered:
            self.parser.unreader.unread(self.buffered)
            self.buffered = b""
        self.sock.settimeout(READ_TIMEOUT_SECONDS)

    def hand_over(self) -> None:
        """The buffered request to the parser that will read it (a kept-alive connection already has one)."""
        if self.initialized and self.buffered:
            self.parser.unreader.unread(self.buffered)
            self.buffered = b""


def request_complete(data: bytes) -> bool:
    """Whether `data` holds a whole request (or so much that gunicorn's own limits must answer it)."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return len(data) > MAX_HEAD_BYTES
    head = data[:end].lower()
    if b"\r\ntransfer-encoding:" in head:
        return True  # chunked (Twilio never sends it): the thread reads the rest under READ_TIMEOUT_SECONDS
    match = _CONTENT_LENGTH.search(head)
    length = int(match.group(1)) if match else 0
    return len(data) - end - 4 >= min(length, MAX_BUFFERED_BODY)


def runs_inline(data: bytes) -> bool:
    target = data.split(b" ", 2)[1] if data.count(b" ") >= 2 else b""
    return target.startswith(INLINE_PATHS)


_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d{1,12})")


class ThreadWorker(gthread.ThreadWorker):
    """gunicorn's gthread worker, for a server that faces the internet itself: a request is read whole by the
    worker's poller, without a thread, and only then served, so a slow or silent client never holds one;
    one that goes silent for READ_TIMEOUT_SECONDS is closed. Twilio's webhooks are then served on the main
    thread (INLINE_PATHS), the console, the web chat and its streams by the thread pool."""

    _quitting = False

    def handle_quit(self, sig, frame):
        """Once: Ctrl-C reaches the whole group, so a worker gets SIGINT and its master's SIGQUIT together,
        and gthread's handler, entered again inside its own pool shutdown, deadlocked on the pool's lock
        (a worker left running with no master)."""
        if self._quitting:
            return
        self._quitting = True
        super().handle_quit(sig, frame)

    def accept(self, listener):
        try:
            client_sock, client_addr = listener.accept()
        except BlockingIOError:
            return
        self.nr_conns += 1
        conn = _TimedConnection(self.cfg, client_sock, client_addr, listener.getsockname())
        if self.cfg.is_ssl:  # TLS is read by the thread that unwraps it (Lantern's proxies end TLS first)
            conn.timeout = time.monotonic() + READ_TIMEOUT_SECONDS
            self.pending_conns.append(conn)
            self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn))
            return
        self._wait_for_request(conn)

    def on_client_socket_readable(self, conn, client):
        """A kept-alive connection's next request is read by the poller too."""
        if self.cfg.is_ssl:
            return super().on_client_socket_readable(conn, client)
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._wait_for_request(conn)

    def _wait_for_request(self, conn) -> None:
        conn.sock.setblocking(False)
        conn.opened = time.monotonic()
        conn.timeout = conn.opened + READ_TIMEOUT_SECONDS  # closed by murder_pending if nothing comes
        self.pending_conns.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._read_request, conn))

    def _read_request(self, conn, client) -> None:
        try:
            data = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        self.pending_conns.remove(conn)
        if not data:  # the client left
            self.poller.unregister(client)
            self.nr_conns -= 1
            conn.close()
            return
        conn.buffered += data
        if not request_complete(conn.buffered):
            # Still coming: its silence timer starts again (and it goes to the back of the line that
            # murder_pending reads from the front), but never past REQUEST_SECONDS from the start.
            conn.timeout = min(time.monotonic() + READ_TIMEOUT_SECONDS, conn.opened + REQUEST_SECONDS)
            self.pending_conns.append(conn)
            return
        self.poller.unregister(client)
        inline = runs_inline(conn.buffered)
        conn.hand_over()
        conn.data_ready = True
        if inline:
            done = futures.Future()
            done.set_result(self.handle(conn))  # handle() answers every error itself
            self.finish_request(conn, done)
        else:
            self.enqueue_req(conn)


def _quiet_read_timeouts(record: logging.LogRecord) -> bool:
    """A connection closed for going silent is logged as one line, not a traceback an attacker could
    repeat by the thousand."""
    if record.exc_info and isinstance(record.exc_info[1], TimeoutError):
        record.msg, record.args, record.exc_info, record.exc_text = (
            "closed a connection silent for %.0f s mid-request", (READ_TIMEOUT_SECONDS,), None, None)
        record.levelno, record.levelname = logging.INFO, "INFO"
    return True
