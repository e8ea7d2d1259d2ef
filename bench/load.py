"""The load driver: signed Twilio webhook POSTs over plain sockets, N at a time, one latency each.

One thread with non-blocking sockets on epoll, requests built beforehand: on a 2-core machine the
driver shares the CPU with the server it measures, and every microsecond it spends is taken from
the server (and flatters the ratio Lantern/baseline, since both pay it). Measured on the 2-core
VM against the baseline: 16 threads with blocking sockets, signing as they went, cost 240-290 µs
of driver CPU per request; this loop ~145 µs (65 user, 80 system: the kernel's loopback TCP work,
which any client pays).
"""
from __future__ import annotations

import itertools
import math
import selectors
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from tests.twilio_signing import twilio_signature

PATH = "/webhooks/sms"
NUMBERS = 500
# One texter's conversation, looped: greeting, safe to talk, a safe place tonight, the area,
# waiting (holding line), HELP as an aside, DELETE back to the start.
SCRIPT = ("hi", "1", "1", "Long Beach", "hello", "are you there?", "HELP", "DELETE")
TIMEOUT = 20.0  # gunicorn's --timeout: a request slower than this has failed anyway


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    public_base_url: str
    auth_token: str
    account_sid: str
    hotline: str


def texter(n: int) -> str:
    """Fictional numbers (555-0100…0199, reserved for fiction) in area codes 201-205: never the
    hotline's own +15555550199, which +1555555{n:04d} would hit at n = 199."""
    n %= NUMBERS
    return f"+1{201 + n // 100}55501{n % 100:02d}"


def twilio_form(target: Target, n: int) -> dict[str, str]:
    """Request n of the run, with the fields Twilio really sends for an inbound SMS."""
    sid = f"SM{n:032x}"
    body = SCRIPT[(n // NUMBERS) % len(SCRIPT)]
    return {
        "ToCountry": "US", "ToState": "CA", "SmsMessageSid": sid, "NumMedia": "0", "ToCity": "",
        "FromZip": "", "SmsSid": sid, "FromState": "CA", "SmsStatus": "received", "FromCity": "",
        "Body": body, "FromCountry": "US", "To": target.hotline, "ToZip": "", "NumSegments": "1",
        "MessageSid": sid, "AccountSid": target.account_sid, "From": texter(n), "ApiVersion": "2010-04-01",
    }


def signed_request(target: Target, n: int) -> bytes:
    params = twilio_form(target, n)
    body = urlencode(params).encode()
    signature = twilio_signature(target.auth_token, target.public_base_url + PATH, params)
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: {target.host}:{target.port}\r\nUser-Agent: TwilioProxy/1.1\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
        f"X-Twilio-Signature: {signature}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body


def exchange(host: str, port: int, payload: bytes, timeout: float = TIMEOUT) -> tuple[int, bytes]:
    """One blocking request (the readiness probe); status and body, status 0 if cut short."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(payload)
        data = b""
        while True:
            chunk = sock.recv(65536)
            data += chunk
            status, body, complete = parse_response(data, closed=not chunk)
            if complete:
                return status, body


def parse_response(data: bytes, closed: bool) -> tuple[int, bytes, bool]:
    """Status, body and whether the response is complete; status 0 for one that was cut short."""
    head, found, body = data.partition(b"\r\n\r\n")
    if not found:
        return 0, b"", closed
    length = None
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length is not None and len(body) >= length:
        return int(head[9:12]), body, True
    # No length: Connection: close ends the body. Short of the length: cut short if closed.
    return (int(head[9:12]) if length is None else 0), body, closed


@dataclass
class Phase:
    latencies: list[float]  # seconds, one per request
    errors: int
    seconds: float
    driver_cpu: float  # CPU seconds this process spent driving
    planned: int  # requests meant to be sent; more than sent when the time limit cut the phase short

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile_ms(self, q: float) -> float:
        """Nearest-rank percentile, in milliseconds."""
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000 if ordered else float("nan")


class Driver:
    """One thread, non-blocking sockets on epoll, `concurrency` requests always in flight.

    Requests are signed and encoded before a phase starts (urlencode and HMAC cost ~45 µs each,
    CPU the server would lose). Numbering carries on from warm-up to measurement, and so do the
    conversations.
    """

    def __init__(self, target: Target, concurrency: int):
        self.target = target
        self.concurrency = concurrency
        self.sent = 0

    def prepare(self, count: int) -> list[bytes]:
        first, self.sent = self.sent, self.sent + count
        return [signed_request(self.target, n) for n in range(first, first + count)]

    def run(self, payloads: list[bytes], time_limit: float) -> Phase:
        queue = iter(payloads)
        cpu, started = time.process_time(), time.perf_counter()
        deadline = started + time_limit
        with _Flight(self.target) as flight:
            for payload in itertools.islice(queue, self.concurrency):
                flight.open(payload)
            while flight.active():
                for _ in range(flight.step()):
                    payload = next(queue, None) if time.perf_counter() < deadline else None
                    if payload is not None:
                        flight.open(payload)
        return Phase(flight.latencies, flight.errors, time.perf_counter() - started,
                     time.process_time() - cpu, len(payloads))


class _Flight:
    """The requests in flight, on one epoll selector; it records each one as it ends."""

    def __init__(self, target: Target):
        self.target = target
        self.selector = selectors.DefaultSelector()
        self.latencies: list[float] = []
        self.errors = 0
        self.next_expiry_check = time.perf_counter() + 1.0

    def __enter__(self) -> "_Flight":
        return self

    def __exit__(self, *exc) -> None:
        for key in list(self.selector.get_map().values()):  # only left after an exception
            key.fileobj.close()
        self.selector.close()

    def active(self) -> bool:
        return bool(self.selector.get_map())

    def open(self, payload: bytes) -> None:
        exchange_ = _Exchange(self.target.host, self.target.port, payload)
        self.selector.register(exchange_.sock, selectors.EVENT_WRITE, exchange_)

    def step(self) -> int:
        """Advance every ready exchange; return how many ended (timed out ones included)."""
        ended = {}
        for key, _ in self.selector.select(timeout=1.0):
            ok = key.data.advance(self.selector)
            if ok is not None:
                ended[key.data] = ok
        now = time.perf_counter()
        if now >= self.next_expiry_check:  # once a second is plenty against a 20 s timeout
            self.next_expiry_check = now + 1.0
            for key in self.selector.get_map().values():
                if key.data not in ended and now - key.data.started > TIMEOUT:
                    ended[key.data] = False
        for exchange_, ok in ended.items():
            self.selector.unregister(exchange_.sock)
            exchange_.sock.close()
            self.latencies.append((exchange_.finished or now) - exchange_.started)
            self.errors += not ok
        return len(ended)


class _Exchange:
    """One request on its own connection: connect, send, read to the end of the response."""

    def __init__(self, host: str, port: int, payload: bytes):
        self.started = time.perf_counter()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        self.sock.connect_ex((host, port))  # EINPROGRESS; a refusal shows up at send
        self.unsent = memoryview(payload)
        self.received = b""
        self.finished = 0.0  # when the last byte came, before the rest of the batch is handled

    def advance(self, selector: selectors.BaseSelector) -> bool | None:
        """None while under way; then whether the answer was a 200 with TwiML."""
        try:
            if self.unsent:
                self.unsent = self.unsent[self.sock.send(self.unsent):]
                if not self.unsent:
                    selector.modify(self.sock, selectors.EVENT_READ, self)
                return None
            chunk = self.sock.recv(65536)
        except OSError:  # refused, reset: failures Twilio would see too
            self.finished = time.perf_counter()
            return False
        self.received += chunk
        status, body, complete = parse_response(self.received, closed=not chunk)
        if not complete:
            return None
        self.finished = time.perf_counter()
        return status == 200 and b"<Response" in body
