"""A local stand-in of Twilio's REST API: records every Messages.json create and fails on demand.

The app reaches it through TWILIO_API_BASE, exactly as it reaches Twilio: nothing of ours is patched.
"""
from __future__ import annotations

import base64
import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from tests.redis_server import free_port


@dataclass
class Sent:
    to: str
    from_: str
    body: str
    status_callback: str
    sid: str


@dataclass
class TwilioStandIn:
    account_sid: str
    auth_token: str
    port: int = field(default_factory=free_port)
    sent: list[Sent] = field(default_factory=list)
    failures: list[tuple[int, int | None]] = field(default_factory=list)
    attempts: int = 0

    def __post_init__(self):
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "TwilioStandIn":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.sent.clear()
            self.failures.clear()
            self.attempts = 0

    def fail_next(self, status: int, code: int | None = None, times: int = 1) -> None:
        """The next `times` creates answer `status` (with Twilio error `code`) instead of 201."""
        with self._lock:
            self.failures.extend([(status, code)] * times)

    def to(self, number: str) -> list[str]:
        """Bodies sent to one number, in order."""
        with self._lock:
            return [m.body for m in self.sent if m.to == number]

    def answer(self, path: str, authorization: str, form: dict[str, str]) -> tuple[int, dict]:
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if authorization != expected:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        if path != f"/2010-04-01/Accounts/{self.account_sid}/Messages.json":
            return 404, {"code": 20404, "message": "Not found", "status": 404}
        with self._lock:
            self.attempts += 1
            if self.failures:
                status, code = self.failures.pop(0)
                return status, {"code": code, "message": "stand-in failure", "status": status}
            sid = f"SM{next(self._sids):032x}"
            self.sent.append(Sent(form.get("To", ""), form.get("From", ""), form.get("Body", ""),
                                  form.get("StatusCallback", ""), sid))
        return 201, {"sid": sid, "status": "queued", "to": form.get("To"), "from": form.get("From"),
                     "body": form.get("Body"), "account_sid": self.account_sid, "num_segments": "1"}


def _handler_for(standin: TwilioStandIn):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            status, payload = standin.answer(self.path, self.headers.get("Authorization", ""), form)
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # keep test output free of request lines (they hold numbers)
            pass

    return Handler
