"""The load driver: signed Twilio webhook POSTs over plain sockets, N at a time, one latency each.

Plain sockets in threads rather than `requests`: on a 2-core machine the driver shares the CPU with
the server it measures, and every microsecond it spends is taken from the server (and flatters the
ratio Lantern/baseline, since both pay it). requests.Session costs several times more per request.
"""
from __future__ import annotations

import itertools
import math
import threading
import time
from dataclasses import dataclass
from socket import create_connection
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
    return f"+1555555{n % NUMBERS:04d}"


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
    """Send one request on a new connection (gunicorn's sync workers close each one); status, body."""
    with create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(payload)
        data = b""
        while b"\r\n\r\n" not in data:
            data += _recv(sock)
        head, _, body = data.partition(b"\r\n\r\n")
        length = _content_length(head)
        while length is None or len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
    if length is not None and len(body) < length:
        raise ConnectionError("response cut short")
    return int(head[9:12]), body


def _recv(sock) -> bytes:
    chunk = sock.recv(65536)
    if not chunk:
        raise ConnectionError("connection closed before the response headers")
    return chunk


def _content_length(head: bytes) -> int | None:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return None


@dataclass
class Phase:
    latencies: list[float]  # seconds, one per request
    errors: int
    seconds: float
    driver_cpu: float  # CPU seconds this process spent driving

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
    """Keeps one request counter across warm-up and measurement, so conversations carry on."""

    def __init__(self, target: Target, concurrency: int):
        self.target = target
        self.concurrency = concurrency
        self.counter = itertools.count()  # next() on a count is atomic under the GIL

    def run(self, seconds: float) -> Phase:
        deadline = time.perf_counter() + seconds
        stop = threading.Event()
        outs = [([], [0]) for _ in range(self.concurrency)]
        threads = [threading.Thread(target=self._client, args=(deadline, stop, *out), daemon=True)
                   for out in outs]
        cpu, started = time.process_time(), time.perf_counter()
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            stop.set()  # on Ctrl-C the clients stop at their next request
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        latencies = [x for out in outs for x in out[0]]
        return Phase(latencies, sum(out[1][0] for out in outs), elapsed, cpu)

    def _client(self, deadline: float, stop: threading.Event, latencies: list, errors: list) -> None:
        target = self.target
        while not stop.is_set() and time.perf_counter() < deadline:
            payload = signed_request(target, next(self.counter))
            started = time.perf_counter()
            try:
                status, body = exchange(target.host, target.port, payload)
                ok = status == 200 and b"<Response" in body
            except OSError:  # refused, reset, timed out: all failures seen by Twilio
                ok = False
            latencies.append(time.perf_counter() - started)
            errors[0] += not ok
