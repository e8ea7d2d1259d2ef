"""The survivor flow's messages with the organisation's numbers filled in, once; then said per turn."""
from __future__ import annotations

from typing import Any


class Wording:
    def __init__(self, messages: dict[str, dict[str, str]], content: Any):
        self.messages = _render_all(messages, content)

    def say(self, key: str, lang: str, place_free_tonight: bool = False, channel: str = "sms") -> str:
        """A message in a language; {tonight} says a safe place is free tonight when the shelters say so,
        {here} where an advocate will write to them (this number, or this chat on the web)."""
        text = self.messages[key][lang]
        if "{tonight}" in text:
            free = " " + self.messages["place_free_tonight"][lang] if place_free_tonight else ""
            text = text.replace("{tonight}", free)
        if "{here}" in text:
            text = text.replace("{here}", _HERE[channel == "web"][lang])
        return text


_ORG_WITH = {"en": " with {}", "es": " de {}"}
# Where an advocate will write: (SMS and WhatsApp, web chat).
_HERE = ({"en": "from this same number", "es": "desde este mismo número"},
         {"en": "here in this chat", "es": "aquí en este chat"})


class _KeepUnknown(dict):
    """Fill the placeholders config knows; leave per-message ones ({advocate}) for later."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _render_all(messages: dict[str, dict[str, str]], content) -> dict[str, dict[str, str]]:
    org = content.org
    rendered: dict[str, dict[str, str]] = {}
    for key, texts in messages.items():
        rendered[key] = {
            lang: text.format_map(_KeepUnknown(
                emergency=org.emergency_number, hotline_call=org.hotline_call, hotline_text=org.hotline_text,
                quiet=org.quiet_words[lang], org="" if org.discreet else org.name,
                # Discreet mode: the organisation's name never reaches a survivor's screen.
                org_with="" if org.discreet else _ORG_WITH[lang].format(org.name),
                safety_word_reply=org.safety_word_reply[lang],
                after_hours_notice=content.hours.notice[lang],
            ))
            for lang, text in texts.items()
        }
    return rendered
