"""`flask --app app outreach add|list|handed-out` and `report`: bad input is one clear line and exit code 1."""
from __future__ import annotations


def test_outreach_add_prints_a_code_per_advocate_and_list_shows_them(app, roster):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["outreach", "add", "--name", "Reclaim and Rebuild, Dec 12", "--date", "2026-12-12",
                                 "--area", "South LA", "--advocate", "Alexis Rivera", "--advocate", "Sam Okafor"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].endswith("Reclaim and Rebuild, Dec 12, 2026-12-12, South LA")
    codes = [line.split()[0] for line in lines[1:3]]
    assert [line.split(None, 1)[1] for line in lines[1:3]] == ["Alexis Rivera", "Sam Okafor"]
    listed = runner.invoke(args=["outreach", "list"]).output
    assert all(code in listed for code in codes) and "cards handed out: not recorded" in listed
    outreach_id = lines[0].split()[1].rstrip(":")
    assert runner.invoke(args=["outreach", "handed-out", outreach_id, "40"]).exit_code == 0
    assert "cards handed out: 40" in runner.invoke(args=["outreach", "list"]).output


def test_outreach_add_refuses_unknown_advocates_and_bad_dates(app, roster):
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["outreach", "add", "--name", "x", "--date", "2026-12-12", "--area", "South LA",
                                  "--advocate", "Nobody Here"])
    assert unknown.exit_code == 1 and "No advocate named Nobody Here" in unknown.output
    bad = runner.invoke(args=["outreach", "add", "--name", "x", "--date", "12/12/2026", "--area", "South LA",
                              "--advocate", "Alexis Rivera"])
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output
    none = runner.invoke(args=["outreach", "add", "--name", "x", "--date", "2026-12-12", "--area", "South LA"])
    assert none.exit_code == 1 and "at least one advocate" in none.output


def test_report_refuses_a_backwards_range_and_prints_exact_counts(app, lantern):
    runner = app.test_cli_runner()
    backwards = runner.invoke(args=["report", "--from", "2026-12-31", "--to", "2026-12-01"])
    assert backwards.exit_code == 1 and "--to comes before --from" in backwards.output
    from datetime import datetime
    from zoneinfo import ZoneInfo
    lantern.stores.reports.count(["danger"] * 3, datetime(2026, 12, 12, 22, tzinfo=ZoneInfo("America/Los_Angeles")).timestamp())
    text = runner.invoke(args=["report", "--from", "2026-12-01", "--to", "2026-12-31"]).output
    assert [line.split()[-1] for line in text.splitlines() if line.startswith("Danger")] == ["3"]
    public = runner.invoke(args=["report", "--from", "2026-12-01", "--to", "2026-12-31", "--csv"]).output
    assert "total,total,danger,<5" in public and "day,2026-12-12,danger,<5" in public
