"""`flask --app app block add|list|remove`: block a number by its case code, never by typing the number."""
from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from bot.blocking import BlockKind
from store.blocks import DURATIONS
from cli.dependencies import cli_dependencies

block = AppGroup("block", help="Block a number that harasses or probes the line, by case code (K7Q2).")


def _desk():
    return cli_dependencies().blocking


def _done(result) -> None:
    ok = result.kind in (BlockKind.BLOCKED, BlockKind.UNBLOCKED)
    click.echo(result.message, err=not ok)
    if not ok:
        raise SystemExit(1)


@block.command("add")
@click.argument("code")
@click.option("--for", "duration", type=click.Choice(list(DURATIONS)), required=True,
              help="How long: 24h, 30d, or forever.")
def add(code: str, duration: str) -> None:
    """Block the number of conversation CODE: it gets the safety message only, and never pages anyone."""
    _done(_desk().block(code, duration, by="cli"))


@block.command("remove")
@click.argument("code")
def remove(code: str) -> None:
    """Lift the block on conversation CODE."""
    _done(_desk().unblock(code, by="cli"))


@block.command("list")
def list_blocks() -> None:
    """The blocks in force: case code, until when, who blocked."""
    deps = cli_dependencies()
    blocks = deps.blocks.all()
    if not blocks:
        click.echo("No number is blocked.")
    zone = deps.settings.content.hours.zone
    for entry in blocks:
        until = "for good" if entry.until is None else \
            "until " + datetime.fromtimestamp(entry.until, zone).strftime("%Y-%m-%d %H:%M")
        click.echo(f"{entry.code}  {until}  by {entry.by}")
