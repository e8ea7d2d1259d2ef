"""The embedded store as a server: fakeredis over TCP on loopback, so web, worker and CLI share one store."""
from __future__ import annotations

import select
import threading

import redis
from fakeredis import TcpFakeServer
from fakeredis._clients._tcp_server import TCPFakeRequestHandler

POLL_SECONDS = 0.01


class _KeepConnectionHandler(TCPFakeRequestHandler):
    """fakeredis's handler, but an error reply (NOSCRIPT, an unknown INFO) leaves the connection open.

    Redis answers an error and carries on; fakeredis's own handler hangs up, which RQ's worker and
    redis-py's script cache (EVALSHA, then EVAL on NOSCRIPT) take for the server going away.
    """

    def handle(self) -> None:
        while not self.server._shutdown_event.is_set():
            try:
                if self.current_client.can_read():
                    self.writer.dump(self.current_client.read_response())
                    continue
                data = self.rfile.readline()
                # The socket is non-blocking: an empty read is "nothing yet" or "closed"; select() tells which.
                if data == b"":
                    readable, _, _ = select.select([self.connection], [], [], POLL_SECONDS)
                    if not readable:
                        continue
                    data = self.rfile.readline()
                    if data == b"":
                        return
                self.current_client.get_socket().sendall(data)
            except redis.ResponseError as error:
                self.writer.dump(error)
            except ConnectionError:
                return


class EmbeddedStoreServer:
    """One in-memory store on 127.0.0.1 (never another interface); nothing is kept when it stops."""

    def __init__(self, port: int = 0):
        self._server = TcpFakeServer(("127.0.0.1", port))
        self._server.RequestHandlerClass = _KeepConnectionHandler
        # A connection inside a blocking pop (the worker's) must not hold up stopping: nothing is kept anyway.
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, name="embedded-store", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"redis://{host}:{port}/0"

    def start(self) -> EmbeddedStoreServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
