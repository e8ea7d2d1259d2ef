"""`flask --app app advocates two-factor …`: who has a console second factor, and resetting one."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from store.exceptions import RosterError
from cli.dependencies import cli_dependencies

two_factor = AppGroup("two-factor", help="The console's second factor: who has one; reset a lost one.")


@two_factor.command("status")
def status() -> None:
    """List who has a second factor and who has none, by name only."""
    deps = cli_dependencies()
    roster, enrolled = deps.roster.all(), deps.two_factor.enrolled_ids()
    required = "required" if deps.settings.require_two_factor else "not required"
    click.echo(f"Second factor: {required} (org.yaml console.require_two_factor).")
    if not roster:
        click.echo("Nobody is on the roster yet.")
    for advocate in roster:
        click.echo(f"{advocate.name:<24} {'on' if advocate.id in enrolled else 'off'}")


@two_factor.command("reset")
@click.argument("name")
def reset(name: str) -> None:
    """Take an advocate's second factor away (a lost phone); their console sessions end."""
    deps = cli_dependencies()
    try:
        advocate = deps.roster.named(name)
    except RosterError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1)
    had = deps.two_factor.reset(advocate.id)
    deps.audit.record("two-factor", advocate.id, via="cli",
                         detail=f"reset with the command line{'' if had else ' (had none)'}; their sessions ended")
    then = "They sign in with their password and set up a new one." if had else "They had none."
    click.echo(f"Reset {advocate.name}'s second factor. {then} Anywhere they were signed in to the console, they "
               "are signed out.")
