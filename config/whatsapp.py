"""The `whatsapp:` part of org.yaml: the approved template that tells a person a message waits for them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "es")
_CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")


class WhatsAppConfigError(ValueError):
    """org.yaml's whatsapp part can't work; the message names the file and key."""


@dataclass(frozen=True)
class WhatsAppConfig:
    # Content SID of the approved, neutral template per language ("You have a new message. Reply to read
    # it."); none: nothing is sent outside the 24-hour window, and the advocate is told so.
    reopen_template_sid: dict[str, str] = field(default_factory=dict)

    def reopen_template(self, lang: str) -> str:
        return self.reopen_template_sid.get(lang) or self.reopen_template_sid.get("en", "")


def load_whatsapp(data: Any, path: Path) -> WhatsAppConfig:
    """`whatsapp.reopen_template_sid`: one Content SID (every language), or one per language (en, es)."""
    if data is None:
        return WhatsAppConfig()
    if not isinstance(data, dict):
        raise WhatsAppConfigError(f"{path}: 'whatsapp' must be a mapping (reopen_template_sid: HX…)")
    raw = data.get("reopen_template_sid") or {}
    per_lang = {lang: raw for lang in LANGUAGES} if isinstance(raw, str) else raw
    if not isinstance(per_lang, dict) or set(per_lang) - set(LANGUAGES):
        raise WhatsAppConfigError(f"{path}: 'whatsapp.reopen_template_sid' must be a Content SID, or map "
                                  f"{' and '.join(LANGUAGES)} to one")
    sids = {}
    for lang, sid in per_lang.items():
        sid = str(sid or "").strip()
        if sid and not _CONTENT_SID.match(sid):
            where = "" if isinstance(raw, str) else f".{lang}"
            raise WhatsAppConfigError(f"{path}: 'whatsapp.reopen_template_sid{where}' is not a Content SID "
                                      "(HX and 32 hex characters, from Twilio's Content Template Builder)")
        if sid:
            sids[lang] = sid
    return WhatsAppConfig(reopen_template_sid=sids)
