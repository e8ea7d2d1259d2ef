"""A local stand-in of Twilio's REST API: records every Messages.json create and fails on demand; keeps
phone numbers (IncomingPhoneNumbers) and Messaging Services that `twilio connect` reads and updates.

The app reaches it through TWILIO_API_BASE, exactly as it reaches Twilio: nothing of ours is patched.
"""
from __future__ import annotations

import base64
import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.redis_server import free_port

NUMBER_FIELDS = ("sms_url", "sms_method", "sms_fallback_url", "sms_fallback_method", "status_callback",
                 "status_callback_method", "sms_application_sid", "voice_url", "voice_method",
                 "voice_fallback_url", "voice_fallback_method", "voice_application_sid")
SERVICE_FIELDS = ("inbound_request_url", "inbound_method", "fallback_url", "fallback_method", "status_callback",
                  "use_inbound_webhook_on_number")


@dataclass
class Sent:
    to: str
    from_: str
    body: str
    status_callback: str
    sid: str
    content_sid: str = ""


@dataclass
class TwilioStandIn:
    account_sid: str
    auth_token: str
    port: int = field(default_factory=free_port)
    sent: list[Sent] = field(default_factory=list)
    failures: list[tuple[int, int | None]] = field(default_factory=list)
    attempts: int = 0
    numbers: dict[str, dict] = field(default_factory=dict)    # PN sid → the number's fields
    services: dict[str, dict] = field(default_factory=dict)   # MG sid → the service's fields (and its numbers)
    updates: list[tuple[str, dict]] = field(default_factory=list)  # every POST that changed a number or service

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
            self.numbers.clear()
            self.services.clear()
            self.updates.clear()

    def fail_next(self, status: int, code: int | None = None, times: int = 1) -> None:
        """The next `times` creates answer `status` (with Twilio error `code`) instead of 201."""
        with self._lock:
            self.failures.extend([(status, code)] * times)

    def to(self, number: str) -> list[str]:
        """Bodies sent to one number, in order (a template shows as `[template HX…]`)."""
        with self._lock:
            return [m.body or f"[template {m.content_sid}]" for m in self.sent if m.to == number]

    def add_number(self, phone_number: str, **fields: str) -> str:
        sid = f"PN{len(self.numbers) + 1:032x}"
        self.numbers[sid] = {"sid": sid, "phone_number": phone_number, "account_sid": self.account_sid,
                             **{name: "" for name in NUMBER_FIELDS}, **fields}
        return sid

    def add_service(self, phone_numbers: list[str], **fields) -> str:
        sid = f"MG{len(self.services) + 1:032x}"
        self.services[sid] = {"sid": sid, "account_sid": self.account_sid, "friendly_name": "hotline",
                              "inbound_request_url": "", "inbound_method": "POST", "fallback_url": "",
                              "fallback_method": "POST", "status_callback": "",
                              "use_inbound_webhook_on_number": False, **fields, "_numbers": list(phone_numbers)}
        return sid

    def answer(self, method: str, path: str, authorization: str, form: dict[str, str]) -> tuple[int, dict]:
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if authorization != expected:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        url = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        with self._lock:
            for pattern, handler in self._routes():
                found = re.fullmatch(pattern, f"{method} {url.path}")
                if found:
                    return handler(*found.groups(), form=form, query=query)
        return 404, {"code": 20404, "message": "Not found", "status": 404}

    def _routes(self):
        account = f"/2010-04-01/Accounts/{self.account_sid}"
        return ((f"POST {account}/Messages.json", self._create_message),
                (f"GET {account}/IncomingPhoneNumbers.json", self._list_numbers),
                (f"GET {account}/IncomingPhoneNumbers/(PN[0-9a-f]{{32}}).json", self._fetch_number),
                (f"POST {account}/IncomingPhoneNumbers/(PN[0-9a-f]{{32}}).json", self._update_number),
                (r"GET /v1/Services/(MG[0-9a-f]{32})", self._fetch_service),
                (r"POST /v1/Services/(MG[0-9a-f]{32})", self._update_service),
                (r"GET /v1/Services/(MG[0-9a-f]{32})/PhoneNumbers", self._service_numbers))

    def _create_message(self, form, query):
        self.attempts += 1
        if self.failures:
            status, code = self.failures.pop(0)
            return status, {"code": code, "message": "stand-in failure", "status": status}
        if not form.get("Body") and not form.get("ContentSid"):
            return 400, {"code": 21619, "message": "A text message body or media urls must be specified.",
                         "status": 400}
        sid = f"SM{next(self._sids):032x}"
        self.sent.append(Sent(form.get("To", ""), form.get("From", ""), form.get("Body", ""),
                              form.get("StatusCallback", ""), sid, form.get("ContentSid", "")))
        return 201, {"sid": sid, "status": "queued", "to": form.get("To"), "from": form.get("From"),
                     "body": form.get("Body"), "account_sid": self.account_sid, "num_segments": "1"}

    def _list_numbers(self, form, query):
        wanted = query.get("PhoneNumber")
        found = [n for n in self.numbers.values() if wanted is None or n["phone_number"] == wanted]
        return 200, {"incoming_phone_numbers": found, "next_page_uri": None, "page": 0,
                     "page_size": len(found), "start": 0, "end": max(0, len(found) - 1),
                     "uri": "/IncomingPhoneNumbers.json", "first_page_uri": "/IncomingPhoneNumbers.json",
                     "previous_page_uri": None}

    def _fetch_number(self, sid, form, query):
        if sid not in self.numbers:
            return 404, {"code": 20404, "message": "Not found", "status": 404}
        return 200, self.numbers[sid]

    def _update_number(self, sid, form, query):
        if sid not in self.numbers:
            return 404, {"code": 20404, "message": "Not found", "status": 404}
        changes = {_snake(k): v for k, v in form.items()}
        self.numbers[sid].update(changes)
        self.updates.append((sid, changes))
        return 200, self.numbers[sid]

    def _fetch_service(self, sid, form, query):
        if sid not in self.services:
            return 404, {"code": 20404, "message": "Not found", "status": 404}
        return 200, {k: v for k, v in self.services[sid].items() if not k.startswith("_")}

    def _update_service(self, sid, form, query):
        if sid not in self.services:
            return 404, {"code": 20404, "message": "Not found", "status": 404}
        changes = {_snake(k): (v == "true" if k == "UseInboundWebhookOnNumber" else v) for k, v in form.items()}
        self.services[sid].update(changes)
        self.updates.append((sid, changes))
        return self._fetch_service(sid, form, query)

    def _service_numbers(self, sid, form, query):
        if sid not in self.services:
            return 404, {"code": 20404, "message": "Not found", "status": 404}
        numbers = [{"sid": f"PN{i:032x}", "phone_number": n, "service_sid": sid}
                   for i, n in enumerate(self.services[sid]["_numbers"], 1)]
        return 200, {"phone_numbers": numbers, "meta": {"key": "phone_numbers", "page": 0, "page_size": 50,
                                                        "next_page_url": None, "previous_page_url": None,
                                                        "first_page_url": "", "url": ""}}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _handler_for(standin: TwilioStandIn):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            self._answer("GET", {})

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            form = parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
            self._answer("POST", {k: v[0] for k, v in form.items()})

        def _answer(self, method: str, form: dict[str, str]) -> None:
            status, payload = standin.answer(method, self.path, self.headers.get("Authorization", ""), form)
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # keep test output free of request lines (they hold numbers)
            pass

    return Handler
