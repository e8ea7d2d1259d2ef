"""How a message leaves: Twilio's REST API, or (no Twilio account) the terminal; a web chat's, to its tab."""
from __future__ import annotations

import sys
import uuid

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.conversation import channel_of

# Twilio answers in well under a second; a hung connection must not hold a worker for long.
TWILIO_TIMEOUT_SECONDS = 10


class TwilioSender:
    def __init__(self, account_sid: str, auth_token: str, from_number: str, api_base: str, status_callback: str):
        self.client = Client(account_sid, auth_token, http_client=TwilioHttpClient(timeout=TWILIO_TIMEOUT_SECONDS))
        # TWILIO_API_BASE: Twilio's by default; tests point it at a local stand-in of the REST API.
        self.client.api.base_url = api_base
        self.from_number = from_number
        self.status_callback = status_callback

    def send(self, to: str, body: str, label: str) -> str:
        """Create the message; returns Twilio's SID. Raises TwilioRestException or a network error."""
        message = self.client.messages.create(to=to, from_=self.from_number, body=body,
                                              status_callback=self.status_callback)
        return message.sid


class EchoSender:
    """Without a Twilio account (the embedded default), show what would be sent instead of sending it,
    and put it on the screen of /demo's phone for that number."""

    def __init__(self, stream=None, phones=None):
        self.stream = stream  # None: whatever sys.stdout is when a message is sent
        self.phones = phones

    def send(self, to: str, body: str, label: str) -> str:
        print(f"  (would text {label}) {body}", file=self.stream or sys.stdout, flush=True)
        if self.phones is not None:
            self.phones.record(to, "line", body)
        return "EC" + uuid.uuid4().hex


class ChannelSender:
    """Messages to a web chat ("web:<token>") go to its tab, never to Twilio; everything else to `wrapped`."""

    def __init__(self, wrapped: TwilioSender | EchoSender, web):
        self.wrapped = wrapped
        self.web = web

    def send(self, to: str, body: str, label: str) -> str:
        if channel_of(to) == "web":
            return self.web.send(to, body, label)
        return self.wrapped.send(to, body, label)
