"""flows/survivor.yaml's parts that stand alone, checked with file and line: states, messages, risks."""
from __future__ import annotations

import string
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "es")
RISKS = ("danger_now", "nowhere_safe", "under_18", "hurt")  # the answers config/triage.yaml scores
PLACEHOLDERS = {"emergency", "hotline_call", "hotline_text", "quiet", "org", "org_with", "advocate",
                "after_hours_notice", "tonight", "here", "met", "safety_word_reply"}


class FlowError(ValueError):
    """The flow file is wrong; the message names the file and line."""


class Where:
    def __init__(self, path: Path):
        self.path = path

    def __call__(self, node: Any, problem: str) -> str:
        line = node.get("__line__") if isinstance(node, dict) else None
        return f"{self.path}:{line}: {problem}" if line else f"{self.path}: {problem}"


def read_states(raw: Any, here: Where) -> dict[str, str | None]:
    if not isinstance(raw, dict) or len(raw) <= 1:
        raise FlowError(here(raw, "'states' must map state names to their settings"))
    states = {}
    for name, spec in raw.items():
        if name == "__line__":
            continue
        if not isinstance(spec, dict):
            raise FlowError(here(raw, f"state {name!r}: settings must be a mapping ({{}} for none)"))
        states[name] = spec.get("prompt")
    return states


def read_messages(raw: Any, here: Where) -> dict[str, dict[str, str]]:
    if not isinstance(raw, dict):
        raise FlowError(here(raw, "'messages' must map message names to their text per language"))
    messages = {}
    for name, texts in raw.items():
        if name == "__line__":
            continue
        if not isinstance(texts, dict):
            raise FlowError(here(raw, f"message {name!r}: expected text per language"))
        for lang in LANGUAGES:
            text = texts.get(lang)
            if not isinstance(text, str) or not text.strip():
                raise FlowError(here(texts, f"message {name!r} has no text in {lang!r}"))
            unknown = {f for _, f, _, _ in string.Formatter().parse(text) if f} - PLACEHOLDERS
            if unknown:
                raise FlowError(here(texts, f"message {name!r} ({lang}): unknown placeholder {sorted(unknown)}"))
        messages[name] = {lang: texts[lang] for lang in LANGUAGES}
    return messages


def read_risks(raw: dict, here: Where) -> dict[str, tuple[str, str]]:
    risks = {}
    for name, spec in raw.items():
        if name == "__line__" or not isinstance(spec, dict) or "risk" not in spec:
            continue
        items = [(k, v) for k, v in (spec["risk"] or {}).items() if k != "__line__"]
        if len(items) != 1 or items[0][0] not in RISKS or items[0][1] not in ("yes", "no"):
            raise FlowError(here(spec, f"state {name!r}: risk must be one of {', '.join(RISKS)}: yes|no"))
        risks[name] = items[0]
    return risks
