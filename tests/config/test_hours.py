"""Staffed hours: both sides of every boundary, midnight, holidays, both DST changes, two time zones."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from config.hours import HoursError, load_hours

SHIPPED = Path(__file__).resolve().parents[2] / "config" / "hours.yaml"
SECOND = timedelta(seconds=1)


def hours_file(tmp_path: Path, staffed: str, zone: str = "America/Los_Angeles", holidays: str = "[]") -> Path:
    path = tmp_path / "hours.yaml"
    path.write_text(
        f"timezone: {zone}\nstaffed:\n{staffed}\nholidays: {holidays}\n"
        "contact_windows:\n  morning: \"09:00-12:00\"\n  afternoon: \"12:00-17:00\"\n  evening: \"17:00-21:00\"\n"
        "after_hours_notice:\n  en: \"Automatic now.\"\n  es: \"Automática ahora.\"\n", encoding="utf-8")
    return path


def local(zone: str, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Europe/Berlin"])
def test_both_sides_of_each_weekday_boundary(tmp_path, zone):
    hours = load_hours(hours_file(tmp_path, '  mon: ["09:00-17:00"]', zone))
    opens, closes = local(zone, 2026, 11, 30, 9, 0), local(zone, 2026, 11, 30, 17, 0)  # a Monday
    assert not hours.is_staffed(opens - SECOND) and hours.is_staffed(opens)
    assert hours.is_staffed(closes - SECOND) and not hours.is_staffed(closes)
    assert not hours.is_staffed(opens + timedelta(days=1))  # Tuesday is not listed
    assert hours.next_change(opens - SECOND) == opens and hours.next_change(opens) == closes


def test_a_span_across_midnight(tmp_path):
    zone = "America/Los_Angeles"
    hours = load_hours(hours_file(tmp_path, '  mon: ["09:00-17:00", "19:00-02:00"]', zone))
    evening, night_end = local(zone, 2026, 11, 30, 19, 0), local(zone, 2026, 12, 1, 2, 0)
    assert not hours.is_staffed(evening - SECOND) and hours.is_staffed(evening)
    assert hours.is_staffed(night_end - SECOND) and not hours.is_staffed(night_end)
    assert hours.next_change(local(zone, 2026, 11, 30, 23, 0)) == night_end


def test_a_holiday_cancels_the_spans_that_start_on_it(tmp_path):
    zone = "America/Los_Angeles"
    hours = load_hours(hours_file(tmp_path, '  thu: ["19:00-02:00"]\n  fri: ["09:00-17:00"]', zone,
                                  '["2026-12-25"]'))
    assert not hours.is_staffed(local(zone, 2026, 12, 25, 10, 0))  # Christmas, a Friday
    assert hours.is_staffed(local(zone, 2026, 12, 25, 1, 0))  # Thursday's night shift ends as planned
    assert hours.is_staffed(local(zone, 2027, 1, 1, 10, 0))  # not a holiday in this file


@pytest.mark.parametrize("zone, spring, autumn", [
    ("America/Los_Angeles", (2027, 3, 14), (2026, 11, 1)),
    ("Europe/Berlin", (2027, 3, 28), (2026, 10, 25)),
])
def test_both_daylight_saving_changes(tmp_path, zone, spring, autumn):
    hours = load_hours(hours_file(tmp_path, '  sun: ["01:00-04:00", "09:00-17:00"]', zone))
    utc = ZoneInfo("UTC")
    # Spring forward: 02:00-03:00 never happens, the span is two real hours, 09:00 is still 09:00.
    start, end = local(zone, *spring, 1, 0), local(zone, *spring, 4, 0)
    assert (end.astimezone(utc) - start.astimezone(utc)) == timedelta(hours=2)
    assert hours.is_staffed(start) and hours.is_staffed(end - SECOND) and not hours.is_staffed(end)
    assert not hours.is_staffed(local(zone, *spring, 8, 59, 59)) and hours.is_staffed(local(zone, *spring, 9, 0))
    # Fall back: 01:00-02:00 happens twice; both are inside the span; it ends at the real 04:00.
    first, second = local(zone, *autumn, 1, 30), local(zone, *autumn, 1, 30).replace(fold=1)
    if zone == "Europe/Berlin":  # Berlin repeats 02:00-03:00
        first, second = local(zone, *autumn, 2, 30), local(zone, *autumn, 2, 30).replace(fold=1)
    assert first.astimezone(utc) != second.astimezone(utc)
    assert hours.is_staffed(first) and hours.is_staffed(second)
    assert not hours.is_staffed(local(zone, *autumn, 4, 0)) and hours.is_staffed(local(zone, *autumn, 9, 0))


def test_the_shipped_hours_load_and_the_time_zone_can_be_overridden():
    assert load_hours(SHIPPED).zone.key == "America/Los_Angeles"
    assert load_hours(SHIPPED, "Europe/Berlin").zone.key == "Europe/Berlin"


@pytest.mark.parametrize("staffed, line, problem", [
    ('  mon: ["9-17"]', 3, "is not a span"),
    ('  funday: ["09:00-17:00"]', 3, "unknown day"),
    ('  mon: ["09:00-09:00"]', 3, "is empty"),
])
def test_errors_name_the_line(tmp_path, staffed, line, problem):
    with pytest.raises(HoursError, match=rf"hours\.yaml:{line}: .*{problem}"):
        load_hours(hours_file(tmp_path, staffed))


def test_flask_hours_says_staffed_or_not_and_the_next_change(tmp_path):
    from tests.apps import create_app
    from config.settings import load_settings
    from tests.conftest import environ_for, write_test_config

    config = write_test_config(tmp_path / "config")
    (config / "hours.yaml").write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    runner = create_app(load_settings(environ_for(None, LANTERN_CONFIG_DIR=str(config)), dotenv=False)).test_cli_runner()
    with time_machine.travel(local("America/Los_Angeles", 2026, 11, 30, 8, 30), tick=False):
        out = runner.invoke(args=["hours"]).output
    assert "Not staffed now" in out and "Next shift starts Mon 2026-11-30 09:00 PST" in out
    with time_machine.travel(local("America/Los_Angeles", 2026, 11, 30, 10, 0), tick=False):
        out = runner.invoke(args=["hours"]).output
    assert "Staffed now" in out and "Shift ends Mon 2026-11-30 17:00 PST" in out


@pytest.mark.parametrize("change, expected", [
    (('  evening: "17:00-21:00"\n', ''), r'hours\.yaml:\d+: contact_windows\.evening: missing: give a span like'),
    (('  evening: "17:00-21:00"', '  evening: "5pm-9pm"'), r'hours\.yaml:\d+: contact_windows\.evening: .*not a span'),
    (('contact_windows:\n  morning: "09:00-12:00"\n  afternoon: "12:00-17:00"\n  evening: "17:00-21:00"\n', ''),
     r'hours\.yaml: contact_windows: must map morning, afternoon, evening to spans'),
])
def test_contact_window_mistakes_name_the_key(tmp_path, change, expected):
    path = hours_file(tmp_path, '  mon: ["09:00-17:00"]')
    path.write_text(path.read_text(encoding="utf-8").replace(*change), encoding="utf-8")
    with pytest.raises(HoursError, match=expected):
        load_hours(path)
