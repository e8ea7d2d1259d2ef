"""What the web chat's views use, built once when the app is (app.py)."""
from __future__ import annotations

from dataclasses import dataclass

from bot.engine import Engine
from bot.web_chat import WebChatDesk
from chat.stream import StreamSlots
from config.settings import Settings
from messaging.inbound import Intake
from store.redis_store import RedisStore
from store.webchat import WebChats
from extension_slot import ExtensionSlot

@dataclass(frozen=True)
class ChatDependencies:
    settings: Settings
    store: RedisStore
    web_chats: WebChats
    web_desk: WebChatDesk
    intake: Intake
    engine: Engine
    safety_message: str
    stream_slots: StreamSlots  # this process's open event streams


chat_dependencies: ExtensionSlot[ChatDependencies] = ExtensionSlot("lantern.chat")  # chat_dependencies(): the running app's
install = chat_dependencies.install
