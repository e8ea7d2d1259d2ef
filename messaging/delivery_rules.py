"""What a send does when WhatsApp's 24-hour window is closed, and what each Twilio error code becomes
(messaging/twilio_errors.py's table): hold, tell the advocate, honour an opt-out, or fail.

Every message here still goes through send_message, so the safety re-check (opt-out, quiet, can't talk,
consent) stands in front of each send: a held message delivered later, and the reopen template, too.
"""
from __future__ import annotations

import logging
import time
from typing import Callable

from bot.advocates import AdvocateTexts
from bot.conversation import Conversation
from bot.whatsapp import window_open
from config.whatsapp import WhatsAppConfig
from messaging.postbox import Postbox
from messaging.twilio_errors import Action, TwilioError
from store.delivery import DeliveryStates
from store.outbox import Outbound, Outbox
from store.redis_store import RedisStore
from store.whatsapp_window import WhatsAppWindows

log = logging.getLogger(__name__)
HELD = "whatsapp window"  # the reason a held message carries, kept after it is sent at last


class DeliveryRules:
    def __init__(self, outbox: Outbox, windows: WhatsAppWindows, deliveries: DeliveryStates, store: RedisStore,
                 postbox: Postbox, texts: AdvocateTexts, whatsapp: WhatsAppConfig):
        self.outbox = outbox
        self.windows = windows
        self.deliveries = deliveries
        self.store = store
        self.postbox = postbox
        self.texts = texts
        self.whatsapp = whatsapp

    # --- the window --------------------------------------------------------------------------------
    def outside_window(self, message: Outbound, conv: Conversation | None, now: float) -> bool:
        """A free-form message to a WhatsApp survivor more than 24 h after their last message."""
        if message.to != "survivor" or conv is None or message.template or conv.channel != "whatsapp":
            return False
        return not window_open(conv, now, self.windows.closed_at(conv.key))

    def hold(self, message: Outbound, conv: Conversation) -> str:
        """Keep it until they write; the first one held sends the reopen template (with consent) and tells
        the advocate what became of it."""
        if message.kind == "closing":
            # A goodbye arriving after they write again would read as the end of their new conversation.
            self.outbox.mark(message, "dropped", HELD)
            return "dropped"
        first = self.windows.hold(conv.key, message.id)
        message.was_held = True
        self.outbox.mark(message, "held", HELD)
        log.info("message held until they write (whatsapp window) kind=%s first=%s", message.kind, first)
        if first:
            self._reopen(message, conv)
        return "held"

    def _reopen(self, message: Outbound, conv: Conversation) -> None:
        template = self.whatsapp.reopen_template(conv.lang)
        if not template:
            key, event = "held_no_template", "WhatsApp window closed: held until they write (no reopen template set)"
        elif not conv.contact_ok:
            key, event = "held_no_consent", "WhatsApp window closed: held until they write (no yes to texting first)"
        elif self.windows.claim_reopen(conv.key, conv.last_inbound_at):
            self.postbox.to_survivor(conv, "", "reopen", template=template)
            key, event = "held_reopen", "WhatsApp window closed: held until they write; the reopen message was sent"
        else:
            return  # this closed window already had its reopen message
        self.store.append_log(conv.key, time.time(), "event", event)
        self.tell(message, conv, key)

    # --- error codes ---------------------------------------------------------------------------------
    def act_on_error(self, message: Outbound, conv: Conversation | None, error: TwilioError,
                     retry: Callable[[TwilioError], str]) -> str:
        """The one place an error code becomes an action; `retry` is how this caller tries again."""
        log.info("twilio error code=%s action=%s kind=%s", error.code, error.action.value, message.kind)
        if error.action is Action.OPTED_OUT:
            return self._opted_out(message, conv)
        if error.action is Action.WINDOW and conv is not None and conv.channel == "whatsapp":
            self.windows.mark_closed(conv.key, time.time())
            self.outbox.send_again(message, "new", HELD)
            return self.hold(message, conv)
        if error.action is Action.RETRY:
            return retry(error)
        return self.fail(message, conv, error)

    def fail(self, message: Outbound, conv: Conversation | None, error: TwilioError) -> str:
        self.outbox.mark(message, "failed", error.meaning)
        self.tell(message, conv, error.advocate_text, error=str(error.code or "unknown"))
        return "failed"

    def _opted_out(self, message: Outbound, conv: Conversation | None) -> str:
        self.outbox.mark(message, "opted_out", "21610")
        if message.to == "survivor" and message.conversation:
            self.deliveries.record_opt_out(message.conversation)
            if conv is not None:
                self.store.withdraw(message.conversation, "opted out: Twilio refused a message (21610)", time.time())
                self.tell(message, conv, "notice_stopped")
        return "opted out"

    def tell(self, message: Outbound, conv: Conversation | None, key: str, **values: str) -> None:
        """The advocate who wrote it (or holds the conversation) hears what became of a message to a survivor."""
        advocate = message.advocate or (conv.advocate if conv is not None else None)
        if message.to != "survivor" or not advocate:
            return
        code = message.code or (conv.case_code if conv is not None else None) or "-"
        self.postbox.to_advocate(advocate, self.texts(key, code=code, **values), "notice", conv)
