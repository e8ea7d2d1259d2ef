"""The report's arithmetic and its public export, pure: small cells suppressed, percentiles by nearest rank."""
from __future__ import annotations

from datetime import date

import pytest

from bot.reports import build_report, parse_range, percentile, public, to_csv


@pytest.mark.parametrize("value, shown", [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (120, "120"), (None, "")])
def test_a_cell_of_fewer_than_five_is_shown_as_less_than_five(value, shown):
    assert public(value) == shown


def test_percentiles_by_nearest_rank_in_minutes():
    assert percentile([60] * 9 + [600], 0.5) == 1.0 and percentile([60] * 9 + [600], 0.9) == 1.0
    assert percentile([60] * 8 + [600] * 2, 0.9) == 10.0 and percentile([], 0.5) is None


def test_weeks_sum_their_days_and_reply_times_from_few_requests_are_suppressed():
    days = {date(2026, 12, 6): {"danger": 2}, date(2026, 12, 7): {"danger": 4}, date(2026, 12, 8): {"danger": 1}}
    replies = {date(2026, 12, 7): {"URGENT:staffed": [60, 120]}}
    report = build_report(date(2026, 12, 6), date(2026, 12, 8), days, replies, {})
    assert [(w.label, w.counts["danger"]) for w in report.weeks] == [("2026-W49", 2), ("2026-W50", 5)]
    export = to_csv(report)
    assert "week,2026-W50,danger,5" in export and "week,2026-W49,danger,<5" in export
    assert 'total,total,"first reply URGENT, staffed: p50 minutes",<5' in export


@pytest.mark.parametrize("start, end", [("2026-12-31", "2026-12-01"), ("Dec 1", "2026-12-31"), ("2024-01-01", "2026-01-01")])
def test_a_bad_range_is_one_clear_line(start, end):
    with pytest.raises(ValueError):
        parse_range(start, end)
