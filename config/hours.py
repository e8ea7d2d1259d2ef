"""Staffed hours, holidays and contact windows from hours.yaml: is the line staffed at an instant, and when next not."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WINDOWS = ("morning", "afternoon", "evening")
_SPAN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


class HoursError(ValueError):
    """hours.yaml is wrong; the message names the file and line."""


@dataclass(frozen=True)
class Span:
    start: time
    end: time  # time(0, 0) with `overnight` when it ends at or after midnight
    overnight: bool

    def instants(self, day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The span starting on `day`, as aware datetimes (DST: the wall clock as written)."""
        start = datetime.combine(day, self.start, zone)
        end = datetime.combine(day + timedelta(days=1) if self.overnight else day, self.end, zone)
        return start, end


@dataclass(frozen=True)
class Hours:
    zone: ZoneInfo
    staffed: dict[str, tuple[Span, ...]]
    holidays: frozenset[date]
    windows: dict[str, Span]
    notice: dict[str, str]

    def is_staffed(self, at: datetime) -> bool:
        moment = at.timestamp()
        local_day = at.astimezone(self.zone).date()
        for day in (local_day - timedelta(days=1), local_day):
            for start, end in self._spans_on(day):
                if start.timestamp() <= moment < end.timestamp():
                    return True
        return False

    def next_change(self, at: datetime) -> datetime | None:
        """The first instant after `at` when staffed becomes unstaffed or the other way round."""
        now_staffed = self.is_staffed(at)
        for edge in self._edges(at, range(-1, 15)):
            if edge.timestamp() > at.timestamp() and self.is_staffed(edge) != now_staffed:
                return edge.astimezone(self.zone)
        return None

    def last_shift_end(self, at: datetime) -> datetime | None:
        """When the most recent shift before `at` ended (the start of the night just gone)."""
        for edge in reversed(self._edges(at, range(-15, 1))):
            if edge.timestamp() <= at.timestamp() and not self.is_staffed(edge) and \
                    self.is_staffed(datetime.fromtimestamp(edge.timestamp() - 1, edge.tzinfo)):
                return edge.astimezone(self.zone)
        return None

    def _edges(self, at: datetime, offsets: range) -> list[datetime]:
        local_day = at.astimezone(self.zone).date()
        edges = {edge for offset in offsets for span in self._spans_on(local_day + timedelta(days=offset))
                 for edge in span}
        return sorted(edges, key=lambda e: e.timestamp())

    def next_window(self, name: str, at: datetime) -> datetime:
        """When the contact window `name` next opens (or `at` itself when it is open now)."""
        span, local_day = self.windows[name], at.astimezone(self.zone).date()
        for offset in range(0, 2):
            start, end = span.instants(local_day + timedelta(days=offset), self.zone)
            if at.timestamp() < end.timestamp():
                return max(start, at.astimezone(self.zone), key=lambda d: d.timestamp())
        raise AssertionError("a daily window always opens within two days")

    def in_window(self, name: str, at: datetime) -> bool:
        start, end = self.windows[name].instants(at.astimezone(self.zone).date(), self.zone)
        return start.timestamp() <= at.timestamp() < end.timestamp()

    def _spans_on(self, day: date) -> list[tuple[datetime, datetime]]:
        if day in self.holidays:
            return []
        return [span.instants(day, self.zone) for span in self.staffed.get(DAYS[day.weekday()], ())]


def load_hours(path: Path, timezone: str | None = None) -> Hours:
    """Read and check hours.yaml; LANTERN_TIMEZONE (`timezone`) overrides the file's zone."""
    try:
        text = path.read_text(encoding="utf-8")
        data, lines = yaml.safe_load(text), _lines(yaml.compose(text))
    except FileNotFoundError:
        raise HoursError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise HoursError(f"{path}: not valid YAML: {exc}") from None
    where = _Where(path, lines)
    if not isinstance(data, dict):
        raise HoursError(f"{path}: expected a mapping with timezone, staffed and holidays")
    zone = _zone(timezone or data.get("timezone"), where)
    staffed = data.get("staffed") or {}
    if not isinstance(staffed, dict):
        raise HoursError(where("staffed", "must map days (mon … sun) to lists of spans"))
    for day in staffed:
        if day not in DAYS:
            raise HoursError(where(("staffed", day), f"unknown day {day!r} (use {', '.join(DAYS)})"))
    return Hours(
        zone=zone,
        staffed={day: tuple(_span(s, where, ("staffed", day)) for s in (staffed.get(day) or [])) for day in DAYS},
        holidays=_holidays(data.get("holidays") or [], where),
        windows=_windows(data.get("contact_windows"), where),
        notice=_notice(data.get("after_hours_notice"), where),
    )


def _zone(name: Any, where) -> ZoneInfo:
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise HoursError(where("timezone", f"{name!r} is not a known time zone")) from None


def _windows(raw: Any, where) -> dict[str, Span]:
    """The times a survivor may pick to be texted: every one must be there, or a choice would lead nowhere."""
    if not isinstance(raw, dict):
        raise HoursError(where("contact_windows", f"must map {', '.join(WINDOWS)} to spans like \"09:00-12:00\""))
    return {name: _span(raw.get(name), where, ("contact_windows", name)) for name in WINDOWS}


def _span(raw: Any, where, key: tuple) -> Span:
    if raw is None:
        raise HoursError(where(key, "missing: give a span like \"09:00-12:00\""))
    match = _SPAN.match(str(raw).replace(" ", ""))
    if not match:
        raise HoursError(where(key, f"{raw!r} is not a span like \"09:00-17:00\""))
    start, end = time(int(match[1]), int(match[2])), (int(match[3]), int(match[4]))
    if end == (24, 0):
        return Span(start, time(0, 0), True)
    if end[0] == 24:
        raise HoursError(where(key, f"{raw!r}: only 24:00 may go past 23:59"))
    end_time = time(*end)
    if end_time == start:
        raise HoursError(where(key, f"{raw!r} is empty (start and end are the same)"))
    return Span(start, end_time, end_time < start)


def _holidays(raw: Any, where) -> frozenset[date]:
    if not isinstance(raw, list):
        raise HoursError(where("holidays", "must be a list of dates like \"2026-12-25\""))
    days = set()
    for value in raw:
        try:
            days.add(value if isinstance(value, date) else date.fromisoformat(str(value)))
        except ValueError:
            raise HoursError(where("holidays", f"{value!r} is not a date like \"2026-12-25\"")) from None
    return frozenset(days)


def _notice(raw: Any, where) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(str(raw.get(lang, "")).strip() for lang in ("en", "es")):
        raise HoursError(where("after_hours_notice", "needs the notice in en and es"))
    return {lang: str(raw[lang]).strip() for lang in ("en", "es")}


def _lines(node, path: tuple = ()) -> dict[tuple, int]:
    """Line of every key in the document, by its path of keys (for errors that name the line)."""
    found = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = path + (key_node.value,)
            found[key] = key_node.start_mark.line + 1
            found.update(_lines(value_node, key))
    return found


class _Where:
    def __init__(self, path: Path, lines: dict[tuple, int]):
        self.path, self.lines = path, lines

    def __call__(self, key, problem: str) -> str:
        """`file:line: key: problem`; a missing key is placed at the line of the nearest key around it."""
        key = key if isinstance(key, tuple) else (key,)
        around = next((self.lines[key[:n]] for n in range(len(key), 0, -1) if key[:n] in self.lines), None)
        named = ".".join(str(part) for part in key)
        return f"{self.path}:{around}: {named}: {problem}" if around else f"{self.path}: {named}: {problem}"
