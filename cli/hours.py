"""`flask --app app hours`: is the line staffed now, and when does that change."""
from __future__ import annotations

import time
from datetime import datetime, timezone

import click
from flask.cli import with_appcontext
from cli.dependencies import cli_dependencies


@click.command("hours")
@with_appcontext
def hours() -> None:
    """Say whether advocates are on shift now, and when that next changes."""
    line_hours = cli_dependencies().settings.content.hours
    now = datetime.fromtimestamp(time.time(), timezone.utc)
    local = now.astimezone(line_hours.zone)
    change = line_hours.next_change(now)
    if line_hours.is_staffed(now):
        click.echo(f"Staffed now ({local:%a %H:%M} {line_hours.zone.key}).")
        click.echo(f"Shift ends {change:%a %Y-%m-%d %H:%M %Z}." if change else "Staffed around the clock.")
    else:
        click.echo(f"Not staffed now ({local:%a %H:%M} {line_hours.zone.key}): the bot triages, on-call is paged "
                   "for danger.")
        click.echo(f"Next shift starts {change:%a %Y-%m-%d %H:%M %Z}." if change else "No shift is ever staffed.")
