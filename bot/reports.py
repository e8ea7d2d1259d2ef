"""The report, from the day counters (store/reports.py): per day and per week, totals, reply times, outreach.

Pure: the CLI, the console page and the CSV export all read the one Report. A public export shows any count
from 1 to 4 as "<5" (a small cell can name a person in a small town); reply times from fewer than 5
requests are shown as "<5" too.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from datetime import date

MAX_REPORT_DAYS = 400
SMALL_CELL = 5
SUPPRESSED = "<5"
MEASURES = (
    ("contacts.new", "Contacts, new"),
    ("contacts.returning", "Contacts, returning"),
    ("danger", "Danger (became URGENT)"),
    ("place.offered", "Safe place offered"),
    ("place.accepted", "Safe place accepted"),
    ("place.booked", "Safe place booked"),
    ("unclaimed_15", "Requests unclaimed after 15 min"),
    ("checkin.consented", "Check-ins agreed"),
    ("checkin.sent", "Check-ins sent"),
    ("checkin.answered", "Check-ins answered"),
    ("safety_word.used", "Safety words used"),
    ("calls.missed", "Calls nobody took (queued)"),
    ("closed", "Conversations closed"),
)
LANGUAGES, CHANNELS = ("en", "es"), ("sms", "whatsapp", "web")
REPLY_LABELS = {"staffed": "staffed", "after_hours": "after hours"}


@dataclass
class Period:
    label: str  # 2026-12-12, or 2026-W50
    counts: dict[str, int] = field(default_factory=dict)
    replies: dict[str, list[int]] = field(default_factory=dict)

    def add(self, counts: dict[str, int], replies: dict[str, list[int]]) -> None:
        for name, value in counts.items():
            self.counts[name] = self.counts.get(name, 0) + value
        for group, seconds in replies.items():
            self.replies.setdefault(group, []).extend(seconds)


@dataclass
class OutreachRow:
    name: str
    date: str
    area: str
    handed_out: int | None
    first: int
    later: int


@dataclass
class Report:
    start: date
    end: date
    days: list[Period]
    weeks: list[Period]
    total: Period
    outreach: list[OutreachRow]
    outcomes: tuple[str, ...] = ()  # org.yaml outcomes: each a row, recorded or not

    def measures(self) -> list[tuple[str, str]]:
        """Every row the report shows: the fixed ones, each outcome of a close, then each language and channel."""
        seen = set(self.total.counts)
        langs = sorted(set(LANGUAGES) | {k[5:] for k in seen if k.startswith("lang.")})
        channels = list(CHANNELS) + sorted({k[8:] for k in seen if k.startswith("channel.")} - set(CHANNELS))
        outcomes = list(self.outcomes) + sorted({k[8:] for k in seen if k.startswith("outcome.")} - set(self.outcomes))
        return (list(MEASURES) + [(f"outcome.{o}", f"Outcome: {o}") for o in outcomes]
                + [(f"lang.{l}", f"Language: {l}") for l in langs]
                + [(f"channel.{c}", f"Channel: {c}") for c in channels])


def build_report(start: date, end: date, counts: dict[date, dict[str, int]],
                 replies: dict[date, dict[str, list[int]]], outreaches: dict, outcomes: tuple[str, ...] = ()) -> Report:
    """`outreaches`: id → the store's Outreach, for those named in the counters or held in the range."""
    days, total = [], Period("total")
    weeks: dict[str, Period] = {}
    for day in sorted(counts):
        period = Period(day.isoformat())
        period.add(counts[day], replies.get(day, {}))
        days.append(period)
        year, week, _ = day.isocalendar()
        weeks.setdefault(f"{year}-W{week:02d}", Period(f"{year}-W{week:02d}")).add(period.counts, period.replies)
        total.add(period.counts, period.replies)
    rows = []
    for id_, outreach in outreaches.items():
        first, later = total.counts.get(f"outreach.{id_}.first", 0), total.counts.get(f"outreach.{id_}.later", 0)
        if first or later or start.isoformat() <= outreach.date <= end.isoformat():
            rows.append(OutreachRow(outreach.name, outreach.date, outreach.area, outreach.handed_out, first, later))
    rows.sort(key=lambda r: r.date)
    return Report(start, end, days, list(weeks.values()), total, rows, tuple(outcomes))


def percentile(seconds: list[int], share: float) -> float | None:
    """Nearest rank, in minutes: the reply time that `share` of requests were answered within."""
    if not seconds:
        return None
    ordered = sorted(seconds)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] / 60


def reply_rows(period: Period) -> list[tuple[str, int, float | None, float | None]]:
    """(label, requests, p50 minutes, p90 minutes) for each priority and shift."""
    rows = []
    for group, seconds in sorted(period.replies.items(), key=lambda kv: _group_order(kv[0])):
        if not seconds:
            continue
        priority, shift = group.split(":")
        rows.append((f"{priority}, {REPLY_LABELS[shift]}", len(seconds), percentile(seconds, 0.5),
                     percentile(seconds, 0.9)))
    return rows


def _group_order(group: str) -> tuple[int, str]:
    priority, shift = group.split(":")
    return ("URGENT", "HIGH", "NORMAL").index(priority), shift


def public(value: int | None) -> str:
    """A count as a public export shows it: 1 to 4 as "<5"; none recorded as blank."""
    if value is None:
        return ""
    return SUPPRESSED if 0 < value < SMALL_CELL else str(value)


def minutes(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def to_csv(report: Report) -> str:
    """The public export: one row per period, measure and value, small cells suppressed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "period", "measure", "value"])
    for section, periods in (("day", report.days), ("week", report.weeks), ("total", [report.total])):
        for period in periods:
            for name, _ in report.measures():
                writer.writerow([section, period.label, name, public(period.counts.get(name, 0))])
            for label, n, p50, p90 in reply_rows(period):
                small = n < SMALL_CELL
                writer.writerow([section, period.label, f"first reply {label}: requests", public(n)])
                writer.writerow([section, period.label, f"first reply {label}: p50 minutes",
                                 SUPPRESSED if small else minutes(p50)])
                writer.writerow([section, period.label, f"first reply {label}: p90 minutes",
                                 SUPPRESSED if small else minutes(p90)])
    for row in report.outreach:
        label = f"{row.name} ({row.date}, {row.area})"
        writer.writerow(["outreach", label, "cards handed out", public(row.handed_out)])
        writer.writerow(["outreach", label, "first contacts", public(row.first)])
        writer.writerow(["outreach", label, "later contacts", public(row.later)])
    return out.getvalue()


def to_text(report: Report) -> str:
    """The report for the organisation's own eyes (exact counts): weeks as columns, then the total."""
    periods = report.weeks + [report.total]
    width = max(len(label) for _, label in report.measures()) + 2
    lines = [f"Lantern report {report.start} to {report.end} (exact counts: use --csv for a public export)", "",
             "".ljust(width) + "".join(p.label.rjust(10) for p in periods)]
    for name, label in report.measures():
        lines.append(label.ljust(width) + "".join(str(p.counts.get(name, 0)).rjust(10) for p in periods))
    lines += ["", "Time to first human reply (request to claim), minutes:"]
    rows = reply_rows(report.total)
    lines += [f"  {label}: {n} requests, p50 {minutes(p50)}, p90 {minutes(p90)}" for label, n, p50, p90 in rows]
    if not rows:
        lines.append("  no requests claimed in this range")
    lines += ["", "Outreach (seeds planted):"]
    lines += [f"  {r.name} ({r.date}, {r.area}): cards handed out "
              f"{'not recorded' if r.handed_out is None else r.handed_out}, first contacts {r.first}, "
              f"later contacts {r.later}" for r in report.outreach] or ["  none in this range"]
    return "\n".join(lines) + "\n"


def parse_range(start: str, end: str) -> tuple[date, date]:
    """Both dates, checked; ValueError with one clear line otherwise."""
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        raise ValueError("Give both dates as YYYY-MM-DD, like --from 2026-12-01 --to 2026-12-31.") from None
    if last < first:
        raise ValueError("--to comes before --from.")
    if (last - first).days >= MAX_REPORT_DAYS:
        raise ValueError(f"One report covers at most {MAX_REPORT_DAYS} days.")
    return first, last
