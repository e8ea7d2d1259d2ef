"""chat/words.yaml, checked once: every page line in every language, and the advocate lines.

Here, not in chat/, because the worker's web chat jobs use the advocate lines too, and importing chat/ loads
its blueprint."""
from __future__ import annotations

import functools
from pathlib import Path

import yaml

from config.content import LANGUAGES

WORDS_FILE = Path(__file__).resolve().parent.parent / "chat" / "words.yaml"
PAGE_KEYS = ("heading", "heading_org", "exit", "exit_hint", "label", "placeholder", "send", "other_language",
             "you", "tip", "emergency", "noscript", "not_sent", "slow_down", "ended", "stopped")
ADVOCATE_KEYS = ("exit", "idle")


class _Org(dict):
    def __missing__(self, key: str) -> str:
        raise KeyError(f"{WORDS_FILE}: unknown placeholder {{{key}}}")


@functools.cache
def _load(path: Path = WORDS_FILE) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for lang in LANGUAGES:
        missing = [k for k in PAGE_KEYS if not str((data.get("page") or {}).get(lang, {}).get(k, "")).strip()]
        if missing:
            raise ValueError(f"{path}: page.{lang} is missing {', '.join(missing)}")
    missing = [k for k in ADVOCATE_KEYS if not str((data.get("advocate") or {}).get(k, "")).strip()]
    if missing:
        raise ValueError(f"{path}: advocate is missing {', '.join(missing)}")
    return data


def page_words(lang: str, org) -> dict[str, str]:
    """The page's lines in one language, with the organisation's numbers filled in."""
    values = _Org(org=org.name, emergency=org.emergency_number, hotline_call=org.hotline_call,
                  hotline_text=org.hotline_text)
    return {key: text.format_map(values) for key, text in _load()["page"][lang].items()}


def advocate_line(key: str, **values: str) -> str:
    return _load()["advocate"][key].format(**values)
