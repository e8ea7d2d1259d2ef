"""What the web chat's views use, built once when the app is (app.py)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from bot.engine import Engine
from bot.web_chat import WebChatDesk
from chat.stream import StreamSlots
from config.settings import Settings
from messaging.inbound import Intake
from store.redis_store import RedisStore
from store.webchat import WebChats

EXTENSION = "lantern.chat"


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


def install(app: Flask, dependencies: ChatDependencies) -> None:
    app.extensions[EXTENSION] = dependencies


def chat_dependencies() -> ChatDependencies:
    """The running app's (resolved once, when it was built)."""
    found: ChatDependencies = current_app.extensions[EXTENSION]
    return found
