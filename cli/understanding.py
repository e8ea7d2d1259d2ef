"""`flask --app app understanding misreads [--csv]`: what advocates taught the bot, for a supervisor to export.

Only the advocates' part of each misread: the right reading, their paraphrase, the language, the day.
Never a conversation, a case code or anything the survivor wrote. The CSV is what
`python bench/train_danger_model.py --with-misreads FILE` retrains from.
"""
from __future__ import annotations

import csv
import io
import time

import click
from flask.cli import with_appcontext
from cli.dependencies import cli_dependencies

COLUMNS = ("id", "day", "lang", "reading", "kind", "paraphrase")


@click.group("understanding")
def understanding() -> None:
    """What the bot understands, and what advocates taught it."""


@understanding.command("misreads")
@with_appcontext
@click.option("--csv", "as_csv", is_flag=True, help="CSV, for bench/train_danger_model.py --with-misreads.")
def misreads(as_csv: bool) -> None:
    """Every misread advocates marked: the right reading and their paraphrase, oldest first."""
    deps = cli_dependencies()
    taught = deps.misreads.all()
    rows = [{"id": m.id, "day": time.strftime("%Y-%m-%d", time.gmtime(m.at)), "lang": m.lang, "reading": m.reading,
             "kind": m.kind, "paraphrase": m.paraphrase} for m in taught]
    deps.audit.record("misreads exported", via="cli", detail=f"{len(rows)} misreads{' as CSV' if as_csv else ''}")
    if as_csv:
        out = io.StringIO()
        writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(out.getvalue(), nl=False)
        return
    if not rows:
        click.echo("No misreads yet: advocates mark them beside a message in the console.")
    for row in rows:
        click.echo(f"{row['day']}  {row['lang']}  {row['reading']:<18} {row['kind']:<14} {row['paraphrase']}")
