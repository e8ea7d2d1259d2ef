"""config/chat.yaml: the shipped file, the defaults without one, and mistakes that stop the app by name."""
from __future__ import annotations

from pathlib import Path

import pytest

from config.chat import ChatConfig, ChatConfigError, ChatLimits, load_chat

SHIPPED = Path(__file__).resolve().parents[2] / "config" / "chat.yaml"


def test_the_shipped_file_says_what_the_defaults_are():
    assert load_chat(SHIPPED) == ChatConfig()
    assert ChatConfig().exit_url.startswith("https://") and ChatConfig().tab_title == "Weather"


def test_a_config_directory_copied_before_the_web_chat_gets_the_defaults(tmp_path):
    assert load_chat(tmp_path / "chat.yaml") == ChatConfig()


def test_values_are_read(tmp_path):
    (tmp_path / "tab.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (tmp_path / "chat.yaml").write_text(
        "exit_url: https://example.org/\ntab_title: Recipes\nicon: tab.svg\nidle_minutes: 5\n"
        "stream_seconds: 20\nmax_streams: 4\nlimits: {session_messages_per_minute: 7}\n", encoding="utf-8")
    chat = load_chat(tmp_path / "chat.yaml")
    assert (chat.exit_url, chat.tab_title, chat.icon, chat.idle_minutes, chat.stream_seconds, chat.max_streams) == (
        "https://example.org/", "Recipes", tmp_path / "tab.svg", 5, 20, 4)
    assert chat.limits == ChatLimits(session_messages_per_minute=7)


@pytest.mark.parametrize("text, words", [
    ("exit_url: javascript:alert(1)", "'exit_url' must be a full http(s) address"),
    ("exit_url: weather.gov", "'exit_url' must be a full http(s) address"),
    ("tab_title: ''", "'tab_title' must be a line of text"),
    ("icon: missing.svg", "'icon' must name an .svg, .png or .ico file"),
    ("icon: chat.yaml", "'icon' must name an .svg, .png or .ico file"),
    ("idle_minutes: 0", "'idle_minutes' must be a whole number, 1 or more"),
    ("poll_seconds: fast", "'poll_seconds' must be a whole number, 1 or more"),
    ("stream_seconds: -1", "'stream_seconds' must be a whole number, 0 or more"),
    ("limits: {address_chats_per_hour: true}", "'limits.address_chats_per_hour' must be a whole number"),
    ("limits: [1, 2]", "'limits' must be a mapping"),
    ("- a list", "expected a mapping at the top"),
    ("exit_url: [unclosed", "not valid YAML"),
])
def test_mistakes_name_the_file_and_the_key(tmp_path, text, words):
    (tmp_path / "chat.yaml").write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ChatConfigError) as raised:
        load_chat(tmp_path / "chat.yaml")
    assert str(tmp_path / "chat.yaml") in str(raised.value) and words in str(raised.value)
