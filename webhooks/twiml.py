"""TwiML for a messaging reply, built with twilio's MessagingResponse."""
from __future__ import annotations

import functools

from twilio.twiml.messaging_response import MessagingResponse


@functools.lru_cache(maxsize=128)
def twiml(*messages: str) -> bytes:
    """A <Response> with one <Message> per text (none: an empty reply, nothing is sent).

    Kept for the last few texts: replies are the bot's own messages and the advocates' desk answers, a
    small set, never a survivor's words (their words reach advocates through the REST API, not here)."""
    response = MessagingResponse()
    for text in messages:
        response.message(text)
    return str(response).encode("utf-8")
