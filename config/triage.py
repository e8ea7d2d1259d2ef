"""The after-hours risk table (triage.yaml): points per answer, thresholds, what minors get."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ANSWERS = ("danger_now", "nowhere_safe", "under_18", "hurt")


class TriageError(ValueError):
    """triage.yaml is wrong; the message names the file and key."""


@dataclass(frozen=True)
class Triage:
    points: dict[str, int]
    urgent: int
    high: int
    minor_page_note: str
    youth_line: dict[str, str]

    def score(self, risks: set[str]) -> int:
        return sum(self.points[name] for name in risks)

    def priority(self, risks: set[str]) -> str:
        """URGENT, HIGH or NORMAL for the set of risk answers that were 'yes'."""
        total = self.score(risks)
        return "URGENT" if total >= self.urgent else "HIGH" if total >= self.high else "NORMAL"


def load_triage(path: Path) -> Triage:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TriageError(f"{path}: file not found") from None
    if not isinstance(data, dict):
        raise TriageError(f"{path}: expected points, thresholds and minors")
    points, thresholds, minors = (_mapping(data, key, path) for key in ("points", "thresholds", "minors"))
    for name in ANSWERS:
        _whole(points, name, path, "points.")
    for name in ("urgent", "high"):
        _whole(thresholds, name, path, "thresholds.")
    if thresholds["high"] > thresholds["urgent"]:
        raise TriageError(f"{path}: 'thresholds.high' must not be above 'thresholds.urgent'")
    youth = minors.get("youth_line")
    if not isinstance(youth, dict) or not all(str(youth.get(lang, "")).strip() for lang in ("en", "es")):
        raise TriageError(f"{path}: 'minors.youth_line' needs a line in en and es")
    return Triage({n: points[n] for n in ANSWERS}, thresholds["urgent"], thresholds["high"],
                  str(minors.get("page_note", "")).strip(), {lang: str(youth[lang]).strip() for lang in ("en", "es")})


def _mapping(data: dict, key: str, path: Path) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise TriageError(f"{path}: '{key}' must be a mapping")
    return value


def _whole(data: dict, key: str, path: Path, within: str) -> None:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TriageError(f"{path}: '{within}{key}' must be a whole number, 0 or more")
