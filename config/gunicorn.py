"""gunicorn settings file for the web role (the Procfile's --config): refuse to start with settings that
would let slow clients or chat streams starve Twilio's webhooks. The options themselves stay in the
Procfile, where a deployment reads them."""
from __future__ import annotations

import logging
import os
import selectors
import sys
import time
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


# A connection that sends part of a request and then nothing for this long is closed, and its thread
# freed: otherwise each such connection would hold one of a worker's threads for as long as it likes.
READ_TIMEOUT_SECONDS = 5.0


class _TimedConnection(gthread.TConn):
    def init(self):
        super().init()  # the worker thread calls this before every request it reads (blocking mode)
        self.sock.settimeout(READ_TIMEOUT_SECONDS)


class ThreadWorker(gthread.ThreadWorker):
    """gunicorn's gthread worker, with two changes for a server that faces the internet itself: a new
    connection waits on the worker's poller until it sends something (no thread is taken, or a selector
    made, for it meanwhile), and a request whose sender goes silent for READ_TIMEOUT_SECONDS is closed."""

    def accept(self, listener):
        try:
            client_sock, client_addr = listener.accept()
        except BlockingIOError:
            return
        self.nr_conns += 1
        conn = _TimedConnection(self.cfg, client_sock, client_addr, listener.getsockname())
        conn.timeout = time.monotonic() + READ_TIMEOUT_SECONDS  # closed by murder_pending if nothing comes
        self.pending_conns.append(conn)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn))


def _quiet_read_timeouts(record: logging.LogRecord) -> bool:
    """A connection closed for going silent is logged as one line, not a traceback an attacker could
    repeat by the thousand."""
    if record.exc_info and isinstance(record.exc_info[1], TimeoutError):
        record.msg, record.args, record.exc_info, record.exc_text = (
            "closed a connection silent for %.0f s mid-request", (READ_TIMEOUT_SECONDS,), None, None)
        record.levelno, record.levelname = logging.INFO, "INFO"
    return True
