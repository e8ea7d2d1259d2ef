"""Load the organisation's content (org.yaml, resources.yaml) from the config directory."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from config.chat import ChatConfig, load_chat
from config.handoff import HandoffConfig, HandoffConfigError, load_handoff
from config.hours import Hours, load_hours
from config.triage import Triage, load_triage
from config.whatsapp import WhatsAppConfig, WhatsAppConfigError, load_whatsapp

LANGUAGES = ("en", "es")


class ContentError(ValueError):
    """A config file is missing, malformed or incomplete; the message names the file and key."""


@dataclass(frozen=True)
class Org:
    name: str
    discreet: bool
    emergency_number: str
    hotline_call: str
    hotline_text: str
    quiet_words: dict[str, str]
    holding_interval: timedelta
    retention: timedelta
    escalate_urgent: timedelta
    escalate_other: timedelta
    send_retry_seconds: tuple[int, ...]
    # Outreach (org.yaml `outreach:`): how long the advocate on a card has the first page to themselves,
    # how long a card's code keeps working after the outreach, and the reply to a safety word.
    card_first: timedelta = timedelta(minutes=10)
    card_valid: timedelta = timedelta(days=365)
    safety_word_reply: dict[str, str] = field(default_factory=lambda: {"en": "ok thanks!", "es": "ok gracias!"})
    # Proxies in front of Lantern that append the client's address to X-Forwarded-For (and set
    # X-Forwarded-Proto): the only way an address or scheme is ever read from a header (ProxyFix).
    trusted_proxies: int = 0
    # org.yaml `console.require_two_factor`: None when not set (then: on in production, off elsewhere).
    require_two_factor: bool | None = None


@dataclass(frozen=True)
class Content:
    org: Org
    resources: dict[str, tuple[str, ...]]
    hours: Hours
    triage: Triage
    chat: ChatConfig = field(default_factory=ChatConfig)
    # What to send for one named need (food, medical, legal, immigration), per language.
    resources_by_need: dict[str, dict[str, tuple[str, ...]]] = field(
        default_factory=lambda: {lang: {} for lang in LANGUAGES})
    whatsapp: WhatsAppConfig = field(default_factory=WhatsAppConfig)
    handoff: HandoffConfig = field(default_factory=HandoffConfig)  # org.yaml handoff: and outcomes:


def load_content(config_dir: Path, timezone: str | None = None) -> Content:
    """Read and check org.yaml, resources.yaml, hours.yaml and triage.yaml under `config_dir`."""
    org = read_yaml(config_dir / "org.yaml")
    resources = read_yaml(config_dir / "resources.yaml")
    return Content(org=_org(org, config_dir / "org.yaml"), resources=_resources(resources, config_dir / "resources.yaml"),
                   resources_by_need=_resources_by_need(resources, config_dir / "resources.yaml"),
                   hours=load_hours(config_dir / "hours.yaml", timezone), triage=load_triage(config_dir / "triage.yaml"),
                   chat=load_chat(config_dir / "chat.yaml"), whatsapp=_whatsapp(org, config_dir / "org.yaml"),
                   handoff=_handoff(org, config_dir / "org.yaml"))


def _handoff(org: dict[str, Any], path: Path) -> HandoffConfig:
    try:
        return load_handoff(org.get("handoff"), org.get("outcomes"), path)
    except HandoffConfigError as exc:
        raise ContentError(str(exc)) from None


def _whatsapp(org: dict[str, Any], path: Path) -> WhatsAppConfig:
    try:
        return load_whatsapp(org.get("whatsapp"), path)
    except WhatsAppConfigError as exc:
        raise ContentError(str(exc)) from None


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: file not found (LANTERN_CONFIG_DIR points at {path.parent})") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping at the top")
    return data


def _org(data: dict[str, Any], path: Path) -> Org:
    def need(key: str, kind: type) -> Any:
        value = data.get(key)
        if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
            raise ContentError(f"{path}: '{key}' must be a {kind.__name__}")
        return value

    hotline = need("hotline", dict)
    quiet = need("quiet_word", dict)
    for lang in LANGUAGES:
        if not str(quiet.get(lang, "")).strip():
            raise ContentError(f"{path}: 'quiet_word' has no word for '{lang}'")
    for part in ("call", "text"):
        if not str(hotline.get(part, "")).strip():
            raise ContentError(f"{path}: 'hotline.{part}' is missing")
    escalation = data.get("escalation_minutes") or {}
    if not isinstance(escalation, dict):
        raise ContentError(f"{path}: 'escalation_minutes' must map urgent and other to minutes")
    return Org(
        name=need("org_name", str).strip(),
        discreet=bool(data.get("discreet_mode", True)),
        emergency_number=_emergency_number(data, path),
        hotline_call=str(hotline["call"]).strip(),
        hotline_text=str(hotline["text"]).strip(),
        quiet_words={lang: str(quiet[lang]).strip().upper() for lang in LANGUAGES},
        holding_interval=timedelta(minutes=_positive(data, "holding_interval_minutes", 10, path)),
        retention=timedelta(days=_positive(data, "retention_days", 30, path)),
        escalate_urgent=timedelta(minutes=_positive(escalation, "urgent", 5, path, "escalation_minutes.")),
        escalate_other=timedelta(minutes=_positive(escalation, "other", 15, path, "escalation_minutes.")),
        send_retry_seconds=_retry_seconds(data, path),
        **_outreach(data, path),
        trusted_proxies=_trusted_proxies(data, path),
        require_two_factor=_require_two_factor(data, path),
    )


def _outreach(data: dict[str, Any], path: Path) -> dict[str, Any]:
    outreach = data.get("outreach") or {}
    if not isinstance(outreach, dict):
        raise ContentError(f"{path}: 'outreach' must map card_first_minutes, card_valid_days, safety_word_reply")
    reply = outreach.get("safety_word_reply", {"en": "ok thanks!", "es": "ok gracias!"})
    if not isinstance(reply, dict) or any(not str(reply.get(lang, "")).strip() for lang in LANGUAGES):
        raise ContentError(f"{path}: 'outreach.safety_word_reply' needs a reply in each of {', '.join(LANGUAGES)}")
    return {"card_first": timedelta(minutes=_positive(outreach, "card_first_minutes", 10, path, "outreach.")),
            "card_valid": timedelta(days=_positive(outreach, "card_valid_days", 365, path, "outreach.")),
            "safety_word_reply": {lang: str(reply[lang]).strip() for lang in LANGUAGES}}


def _trusted_proxies(data: dict[str, Any], path: Path) -> int:
    value = data.get("trusted_proxies", 0)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 5:
        raise ContentError(f"{path}: 'trusted_proxies' must be a whole number from 0 to 5 (a PaaS router: 1)")
    return value


def _require_two_factor(data: dict[str, Any], path: Path) -> bool | None:
    console = data.get("console") or {}
    if not isinstance(console, dict):
        raise ContentError(f"{path}: 'console' must map require_two_factor to true or false")
    value = console.get("require_two_factor")
    if value is not None and not isinstance(value, bool):
        raise ContentError(f"{path}: 'console.require_two_factor' must be true or false")
    return value


def _emergency_number(data: dict[str, Any], path: Path) -> str:
    value = str(data.get("emergency_number", "")).strip()
    if not value:
        raise ContentError(f"{path}: 'emergency_number' is missing")
    return value


def _positive(data: dict[str, Any], key: str, default: int, path: Path, within: str = "") -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ContentError(f"{path}: '{within}{key}' must be a whole number above 0")
    return value


def _retry_seconds(data: dict[str, Any], path: Path) -> tuple[int, ...]:
    value = data.get("send_retry_seconds", [5, 30, 120, 600])
    if (not isinstance(value, list) or not value
            or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)):
        raise ContentError(f"{path}: 'send_retry_seconds' must be a list of whole seconds (0 or more)")
    return tuple(value)


NEEDS = ("food", "medical", "legal", "immigration")


def _resources_by_need(data: dict[str, Any], path: Path) -> dict[str, dict[str, tuple[str, ...]]]:
    by_need = data.get("by_need") or {}
    if not isinstance(by_need, dict) or set(by_need) - set(NEEDS):
        raise ContentError(f"{path}: 'by_need' must map needs ({', '.join(NEEDS)}) to lines per language")
    out: dict[str, dict[str, tuple[str, ...]]] = {lang: {} for lang in LANGUAGES}
    for need, per_lang in by_need.items():
        for lang in LANGUAGES:
            lines = (per_lang or {}).get(lang) if isinstance(per_lang, dict) else None
            if not isinstance(lines, list) or not lines or not all(isinstance(x, str) and x.strip() for x in lines):
                raise ContentError(f"{path}: 'by_need.{need}.{lang}' must be a list of lines of text")
            out[lang][need] = tuple(x.strip() for x in lines)
    return out


def _resources(data: dict[str, Any], path: Path) -> dict[str, tuple[str, ...]]:
    out = {}
    for lang in LANGUAGES:
        lines = data.get(lang)
        if not isinstance(lines, list) or not lines or not all(isinstance(x, str) and x.strip() for x in lines):
            raise ContentError(f"{path}: '{lang}' must be a list of lines of text")
        out[lang] = tuple(x.strip() for x in lines)
    return out
