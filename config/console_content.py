"""The console's part of the organisation's content: shelters.yaml and canned_replies.yaml."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.content import LANGUAGES, ContentError, read_yaml

TAKES = ("women", "men", "families", "minors")
KINDS = ("shelter", "hotel")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class Place:
    """One shelter or hotel partner as the organisation lists it; tonight's state lives in Redis."""

    id: str
    name: str
    kind: str
    area: str
    takes: tuple[str, ...]
    languages: tuple[str, ...]
    notes: str = ""


@dataclass(frozen=True)
class CannedReply:
    label: str
    text: str


def load_places(config_dir: Path) -> tuple[Place, ...]:
    path = config_dir / "shelters.yaml"
    entries = read_yaml(path).get("places")
    if not isinstance(entries, list):
        raise ContentError(f"{path}: 'places' must be a list (it may be empty: places: [])")
    places = tuple(_place(entry, path, n) for n, entry in enumerate(entries, start=1))
    ids = [p.id for p in places]
    if len(ids) != len(set(ids)):
        raise ContentError(f"{path}: two places share an id; each id must be different")
    return places


def _place(entry: Any, path: Path, n: int) -> Place:
    where = f"{path}: place {n}"
    if not isinstance(entry, dict):
        raise ContentError(f"{where} must be a mapping with id, name, kind, area, takes, languages")
    text = {key: str(entry.get(key) or "").strip() for key in ("id", "name", "kind", "area", "notes")}
    if not _ID.match(text["id"]):
        raise ContentError(f"{where}: 'id' must be lowercase letters, digits and dashes, like harbor-house")
    for key in ("name", "area"):
        if not text[key]:
            raise ContentError(f"{where} ({text['id']}): '{key}' is missing")
    if text["kind"] not in KINDS:
        raise ContentError(f"{where} ({text['id']}): 'kind' must be one of {', '.join(KINDS)}")
    takes = _list(entry.get("takes"), f"{where} ({text['id']}): 'takes'", lambda v: v in TAKES, ", ".join(TAKES))
    languages = _list(entry.get("languages"), f"{where} ({text['id']}): 'languages'", _LANGUAGE_CODE.match,
                      "language codes such as en, es")
    return Place(text["id"], text["name"], text["kind"], text["area"], takes, languages, text["notes"])


def _list(value: Any, where: str, valid, expected: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ContentError(f"{where} must be a list of {expected}")
    items = tuple(str(v).strip().lower() for v in value)
    bad = [item for item in items if not valid(item)]
    if bad:
        raise ContentError(f"{where}: {bad[0]!r} is not one of {expected}")
    return items


def load_canned_replies(config_dir: Path) -> dict[str, tuple[CannedReply, ...]]:
    path = config_dir / "canned_replies.yaml"
    data = read_yaml(path)
    replies = {}
    for lang in LANGUAGES:
        entries = data.get(lang)
        if not isinstance(entries, list):
            raise ContentError(f"{path}: '{lang}' must be a list of replies, each with a label and a text")
        replies[lang] = tuple(_canned(entry, f"{path}: {lang} reply {n}") for n, entry in enumerate(entries, 1))
    return replies


def _canned(entry: Any, where: str) -> CannedReply:
    if not isinstance(entry, dict):
        raise ContentError(f"{where} must have a label and a text")
    label, text = str(entry.get("label") or "").strip(), str(entry.get("text") or "").strip()
    if not label or not text:
        raise ContentError(f"{where} must have a label and a text")
    return CannedReply(label, text)
