"""How a message leaves: Twilio's REST API, or (no Twilio account) the terminal; a web chat's, to its tab."""
from __future__ import annotations

import sys
import uuid
from typing import Protocol

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.conversation import channel_of
from config.settings import TWILIO_DEFAULT_API_BASE

# Twilio answers in well under a second; a hung connection must not hold a worker for long.
TWILIO_TIMEOUT_SECONDS = 10


class Sender(Protocol):
    """Sends one message and returns its SID (Twilio's, or one made up for a message that never leaves)."""

    def send(self, to: str, body: str, label: str, template: str = "", ref: str = "") -> str: ...


class WebSender(Protocol):
    """A web chat's sender (messaging/web_chat.py): its tab has no templates."""

    def send(self, to: str, body: str, label: str) -> str: ...


def rest_client(account_sid: str, auth_token: str, api_base: str) -> Client:
    """Twilio's REST client; TWILIO_API_BASE (Twilio's by default) is where tests put a local stand-in."""
    client = Client(account_sid, auth_token, http_client=TwilioHttpClient(timeout=TWILIO_TIMEOUT_SECONDS))
    if api_base.rstrip("/") != TWILIO_DEFAULT_API_BASE:
        client.api.base_url = api_base  # Messages, IncomingPhoneNumbers
        client.messaging.base_url = api_base  # Messaging Services
    return client


class TwilioSender:
    def __init__(self, account_sid: str, auth_token: str, from_number: str, api_base: str, status_callback: str):
        self.client = rest_client(account_sid, auth_token, api_base)
        self.from_number = from_number
        self.status_callback = status_callback

    def send(self, to: str, body: str, label: str, template: str = "", ref: str = "") -> str:
        """Create the message (or, with `template`, the WhatsApp template of that Content SID); returns
        Twilio's SID. Raises TwilioRestException or a network error.

        `ref`, our outbound id, rides on the status callback's URL: its callbacks find it even when they
        arrive before the SID is recorded."""
        whatsapp = channel_of(to) == "whatsapp"
        content = {"content_sid": template} if template else {"body": body}
        message = self.client.messages.create(
            to=to, from_=("whatsapp:" if whatsapp else "") + self.from_number,
            status_callback=self.status_callback + (f"?o={ref}" if ref else ""), **content)
        return message.sid


class EchoSender:
    """Without a Twilio account (the embedded default), show what would be sent instead of sending it,
    and put it on the screen of /demo's phone for that number."""

    def __init__(self, stream=None, phones=None):
        self.stream = stream  # None: whatever sys.stdout is when a message is sent
        self.phones = phones

    def send(self, to: str, body: str, label: str, template: str = "", ref: str = "") -> str:
        if template:
            body = f"[the WhatsApp template {template}: a new message waits for them]"
        print(f"  (would text {label}) {body}", file=self.stream or sys.stdout, flush=True)
        if self.phones is not None:
            self.phones.record(to, "line", body)
        return "EC" + uuid.uuid4().hex


class ChannelSender:
    """Messages to a web chat ("web:<token>") go to its tab, never to Twilio; everything else to `wrapped`."""

    def __init__(self, wrapped: TwilioSender | EchoSender, web: WebSender):
        self.wrapped = wrapped
        self.web = web

    def send(self, to: str, body: str, label: str, template: str = "", ref: str = "") -> str:
        if channel_of(to) == "web":
            return self.web.send(to, body, label)
        return self.wrapped.send(to, body, label, template=template, ref=ref)
