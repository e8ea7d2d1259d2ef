"""The web chat's turns beside the engine's: opening a chat, and ending one whose visitor has gone.

Same store, same engine, same messenger as a text: a web chat is a conversation whose address is "web:<token>".
"""
from __future__ import annotations

import logging
import secrets
import time
from typing import Callable, Generic, Protocol

from bot.conversation import Conversation, Inbound, WithdrawRequest
from bot.engine import Engine
from bot.errors import ConversationBusy, ConversationChanged
from bot.ports import Messenger, Store, W

log = logging.getLogger(__name__)
TRIES = 5


def web_message_sid() -> str:
    """A MessageSid for one message from a browser (Twilio's start SM/MM; these never clash with them)."""
    return "WB" + secrets.token_hex(16)


class Service(Protocol):
    def handle(self, inbound: Inbound, now: float | None = None) -> list[str] | None: ...


class WebChatDesk(Generic[W]):
    def __init__(self, store: Store[W], service: Service, messenger: Messenger[W], engine: Engine,
                 clock: Callable[[], float] = time.time):
        self.store = store
        self.service = service
        self.messenger = messenger
        self.engine = engine
        self.clock = clock

    def open(self, address: str, lang: str) -> list[str] | None:
        """Start a chat the way a first text starts one (the engine's first turn), in the browser's language."""
        now = self.clock()
        key = self.store.conversation_key(address)
        # The token was made a moment ago and only this browser holds it: nobody else can write here yet.
        # created_at set: the engine keeps this language instead of guessing it from the (empty) first message.
        self.store.save(Conversation(key=key, address=address, lang=lang, created_at=now, updated_at=now),
                        "web chat opened", now)
        return self.service.handle(Inbound(sid=web_message_sid(), address=address, body=""))

    def end(self, conv_key: str, event: str, notice: Callable[[str], str] | None = None,
            closing: bool = False) -> Conversation | None:
        """Close a chat its visitor left, as an advocate's CLOSE would: out of the queue, nothing queued sent.

        `closing`: the visitor gets the closing line (when an advocate was talking with them);
        `notice(code)`: the line the advocate holding it is texted.
        """
        for _ in range(TRIES):
            try:
                return self._end(conv_key, event, notice, closing)
            except ConversationChanged:  # a message of theirs was written meanwhile: end what it left
                continue
        raise ConversationBusy()

    def _end(self, conv_key: str, event: str, notice, closing: bool) -> Conversation | None:
        now = self.clock()
        conv = self.store.get(conv_key)
        if conv is None:
            return None
        closing_ok = (closing and conv.contact_ok and conv.state == "with_advocate"
                      and not self.store.is_opted_out(conv_key))
        # A new session: every message still queued for the old one is dropped by the job's re-check.
        fresh = Conversation(key=conv.key, address=conv.address, lang=conv.lang, created_at=conv.created_at,
                             session=conv.session + 1, updated_at=now, version=conv.version)
        fresh.case_code = conv.case_code  # kept so a late CLOSE or #code still gets a clear answer
        write = self.store.begin(fresh)
        self.store.write_state(write, fresh)
        self.store.write_effects(write, fresh, [WithdrawRequest()])
        self.store.write_log(write, conv_key, now, "event", event)
        if conv.advocate:
            self.store.write_hold(write, conv.advocate, conv_key, held=False)
        if closing_ok:
            self.messenger.to_survivor(fresh, self.engine.say("closing", conv.lang), "closing", write)
        if conv.advocate and notice is not None:
            self.messenger.to_advocate(conv.advocate, notice(conv.case_code or "????"), "notice", conv, write)
        self.messenger.cancel_escalation(conv, write)
        if not self.store.apply(write):
            raise ConversationChanged()
        log.info("web chat ended conv=%s advocate=%s", conv_key[:12], "yes" if conv.advocate else "no")
        return conv
