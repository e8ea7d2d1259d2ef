"""TwiML for a messaging reply, built with twilio's MessagingResponse."""
from __future__ import annotations

from twilio.twiml.messaging_response import MessagingResponse


def twiml(*messages: str) -> bytes:
    """A <Response> with one <Message> per text (none: an empty reply, nothing is sent)."""
    response = MessagingResponse()
    for text in messages:
        response.message(text)
    return str(response).encode("utf-8")
