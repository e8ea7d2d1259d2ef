"""Reports for supervisors: the aggregate figures with charts, and the public CSV export (small cells "<5")."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Response, flash, render_template, request

from bot.reports import parse_range, reply_rows, to_csv
from console.auth import supervisors_only
from console.blueprint import bp
from console.charts import horizontal_bars, stacked_bars
from store.reports import read_report
from console.dependencies import console_dependencies

DEFAULT_DAYS = 30


def _range() -> tuple[date, date, str | None]:
    today = date.today()
    start = request.args.get("from") or (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat()
    end = request.args.get("to") or today.isoformat()
    try:
        first, last = parse_range(start, end)
    except ValueError as exc:
        return today - timedelta(days=DEFAULT_DAYS - 1), today, str(exc)
    return first, last, None


def _report(first: date, last: date):
    deps = console_dependencies()
    return read_report(deps.reports, deps.outreaches, first, last, deps.settings.content.handoff.outcomes)


@bp.get("/reports")
@supervisors_only
def reports():
    first, last, problem = _range()
    if problem:
        flash(problem, "error")
    report = _report(first, last)
    labels = [d.label for d in report.days]
    daily = lambda name: [d.counts.get(name, 0) for d in report.days]  # noqa: E731
    total = report.total.counts
    replies = reply_rows(report.total)
    return render_template(
        "console/reports.html", report=report, start=first.isoformat(), end=last.isoformat(),
        contacts=stacked_bars(labels, [("new", "new", daily("contacts.new")),
                                       ("returning", "returning", daily("contacts.returning"))]),
        danger=stacked_bars(labels, [("danger", "danger", daily("danger")),
                                     ("safety word", "word", daily("safety_word.used"))]),
        places=horizontal_bars([(label, total.get(name, 0), "place") for name, label in
                                (("place.offered", "Offered"), ("place.accepted", "Accepted"),
                                 ("place.booked", "Booked"))]),
        reply_chart=horizontal_bars([(f"{label} p50", p50 or 0, "p50") for label, _, p50, _ in replies]
                                    + [(f"{label} p90", p90 or 0, "p90") for label, _, _, p90 in replies], " min"),
        replies=replies, periods=report.weeks + [report.total], measures=report.measures(),
    )


@bp.get("/reports.csv")
@supervisors_only
def reports_csv():
    first, last, problem = _range()
    if problem:
        return Response(problem + "\n", status=400, mimetype="text/plain")
    name = f"lantern-report-{first}-to-{last}.csv"
    return Response(to_csv(_report(first, last)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
