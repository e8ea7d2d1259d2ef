"""Load the web chat's settings (chat.yaml): where quick exit goes, the neutral tab, idle time, limits."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

log = logging.getLogger(__name__)


class ChatConfigError(ValueError):
    """chat.yaml is malformed or holds a value that can't work; the message names the file and key."""


@dataclass(frozen=True)
class ChatLimits:
    """Fixed one-minute (messages) and one-hour (new chats) windows. A danger message is never refused."""

    session_messages_per_minute: int = 20
    address_messages_per_minute: int = 60
    address_chats_per_hour: int = 30
    # New chats asking for help that page advocates one by one, in ten minutes: from one address, and in all.
    # The rest still get their answer and wait in the queue; one page at the window's end counts them.
    address_pages_per_10_minutes: int = 1
    pages_per_10_minutes: int = 10


@dataclass(frozen=True)
class ChatConfig:
    # Quick exit replaces the page with this neutral site; Back does not return to the chat.
    exit_url: str = "https://www.weather.gov/"
    tab_title: str = "Weather"
    # A file in the config directory; empty: the neutral icon shipped with the chat.
    icon: Path | None = None
    # With an advocate, a chat whose tab has not been seen for this long ends with a closing line.
    idle_minutes: int = 30
    # How often the page asks for new messages (the browser waits this long between requests).
    poll_seconds: int = 2
    # How long one event stream stays open waiting for messages (0: it answers at once, the page polls).
    stream_seconds: int = 0
    # At most this many streams are held open at once in one web process; more answer at once.
    max_streams: int = 8
    limits: ChatLimits = field(default_factory=ChatLimits)


def load_chat(path: Path) -> ChatConfig:
    """Read chat.yaml; without the file (a config directory copied before the web chat) the defaults hold."""
    if not path.exists():
        return ChatConfig()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ChatConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ChatConfigError(f"{path}: expected a mapping at the top")
    default = ChatConfig()
    if "proxies" in data:  # read until trusted_proxies replaced it; a copied chat.yaml may still have it
        log.warning("%s: 'proxies' is no longer read: set trusted_proxies in org.yaml", path)
    limits = data.get("limits") or {}
    if not isinstance(limits, dict):
        raise ChatConfigError(f"{path}: 'limits' must be a mapping")
    return ChatConfig(
        exit_url=_exit_url(data.get("exit_url", default.exit_url), path),
        tab_title=_text(data, "tab_title", default.tab_title, path),
        icon=_icon(data.get("icon") or "", path),
        idle_minutes=_whole(data, "idle_minutes", default.idle_minutes, path, minimum=1),
        poll_seconds=_whole(data, "poll_seconds", default.poll_seconds, path, minimum=1),
        stream_seconds=_whole(data, "stream_seconds", default.stream_seconds, path, minimum=0),
        max_streams=_whole(data, "max_streams", default.max_streams, path, minimum=1),
        limits=ChatLimits(**{name: _whole(limits, name, getattr(ChatLimits(), name), path, 1, "limits.")
                             for name in ChatLimits.__dataclass_fields__}),
    )


def _exit_url(value: Any, path: Path) -> str:
    parts = urlsplit(str(value).strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ChatConfigError(f"{path}: 'exit_url' must be a full http(s) address, such as https://www.weather.gov/")
    return str(value).strip()


def _text(data: dict[str, Any], key: str, default: str, path: Path) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ChatConfigError(f"{path}: '{key}' must be a line of text")
    return value.strip()


def _icon(name: str, path: Path) -> Path | None:
    if not name:
        return None
    icon = path.parent / str(name)
    if icon.suffix.lower() not in (".svg", ".png", ".ico") or not icon.is_file():
        raise ChatConfigError(f"{path}: 'icon' must name an .svg, .png or .ico file beside chat.yaml")
    return icon


def _whole(data: dict[str, Any], key: str, default: int, path: Path, minimum: int, within: str = "") -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ChatConfigError(f"{path}: '{within}{key}' must be a whole number, {minimum} or more")
    return value
