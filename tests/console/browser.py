"""A live Lantern for the browser tests: a real threaded server, signed webhooks over HTTP, a real worker."""
from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import requests
from werkzeug.serving import make_server

from tests.conftest import AUTH_TOKEN, HOTLINE_NUMBER, new_sid
from tests.twilio_signing import twilio_signature

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class LiveServer:
    """Serve `app` on 127.0.0.1:`port` from a thread, as gunicorn would from a process."""

    def __init__(self, app, port: int):
        self._server = make_server("127.0.0.1", port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "LiveServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@dataclass
class LiveTexter:
    """A survivor texting the hotline: a webhook signed with Twilio's algorithm over PUBLIC_BASE_URL."""

    base_url: str
    number: str

    def send(self, body: str) -> list[str]:
        url = self.base_url + "/webhooks/sms"
        params = {"MessageSid": new_sid(), "From": self.number, "To": HOTLINE_NUMBER, "Body": body,
                  "NumMedia": "0", "AccountSid": "AC" + "0" * 32}
        response = requests.post(url, data=params, timeout=10,
                                 headers={"X-Twilio-Signature": twilio_signature(AUTH_TOKEN, url, params)})
        assert response.status_code == 200, response.text
        return [element.text or "" for element in ET.fromstring(response.content).iter("Message")]


def run_worker(lantern) -> None:
    """A real RQ worker over the live app's queues (as the Procfile's worker lists them) until they are empty."""
    from rq import SimpleWorker
    from rq.serializers import JSONSerializer

    queues = [lantern.messenger.urgent_queue, lantern.queue]
    SimpleWorker(queues, connection=lantern.stores.redis, serializer=JSONSerializer, job_class=lantern.job_class).work(burst=True)
