"""`flask --app app report --from YYYY-MM-DD --to YYYY-MM-DD [--csv]`: the aggregate report."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from bot.reports import parse_range, to_csv, to_text
from store.reports import read_report
from cli.dependencies import cli_dependencies


@click.command("report")
@with_appcontext
@click.option("--from", "start", required=True, help="First day, YYYY-MM-DD (the line's time zone).")
@click.option("--to", "end", required=True, help="Last day, YYYY-MM-DD, included.")
@click.option("--csv", "as_csv", is_flag=True, help="A public export: CSV, counts of 1 to 4 shown as <5.")
def report(start: str, end: str, as_csv: bool) -> None:
    """Aggregate figures per day and week: contacts, danger, safe places, reply times, outreach."""
    try:
        first, last = parse_range(start, end)
    except ValueError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1)
    deps = cli_dependencies()
    built = read_report(deps.reports, deps.outreaches, first, last, deps.settings.content.handoff.outcomes)
    click.echo(to_csv(built) if as_csv else to_text(built), nl=False)
