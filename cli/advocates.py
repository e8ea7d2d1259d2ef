"""`flask --app app advocates …`: the roster. Bad input: exit code 1 and one clear line."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from bot.advocates import Role
from bot.capacity import DEFAULT_CAPACITY
from store.exceptions import PasswordRejected, RosterError
from store.roster import masked
from cli.dependencies import cli_dependencies

advocates = AppGroup("advocates", help="Add, remove and list advocates; set on-call and availability.")


def _roster():
    return cli_dependencies().roster


def _audit(event: str, advocate: str, detail: str) -> None:
    """Roster and password changes made here are in the audit stream too, marked as from the command line."""
    cli_dependencies().audit.record(event, advocate, via="cli", detail=detail)


def _fail(exc: RosterError | PasswordRejected) -> None:
    click.echo(str(exc), err=True)
    raise SystemExit(1)


@advocates.command("add")
@click.option("--name", required=True, help="How the advocate is known; survivors see the first name.")
@click.option("--phone", required=True, help="Their own phone, E.164: +12135550101.")
@click.option("--on-call", is_flag=True, help="Paged for URGENT requests even when not available.")
@click.option("--available", is_flag=True, help="On shift now: paged for every new request.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.ADVOCATE.value, show_default=True)
@click.option("--capacity", default=str(DEFAULT_CAPACITY), show_default=True,
              help="The most conversations they hold at once; at it, NORMAL and HIGH requests don't page them.")
@click.option("--languages", default="en", show_default=True, help="What they speak, like en,es: paged first for those.")
def add(name: str, phone: str, on_call: bool, available: bool, role: str, capacity: str, languages: str) -> None:
    """Put an advocate on the roster."""
    try:
        advocate = _roster().add(name, phone, Role(role), on_call=on_call, available=available, capacity=capacity,
                                 languages=languages)
    except RosterError as exc:
        _fail(exc)
    _audit("roster", "cli", f"added {advocate.id} ({advocate.role.value})")
    click.echo(f"Added {advocate.name} ({advocate.role.value}, {masked(advocate.phone)}, capacity "
               f"{advocate.capacity}, speaks {','.join(advocate.languages)}).")


@advocates.command("list")
def list_advocates() -> None:
    """Show the roster (numbers masked)."""
    roster = _roster().all()
    if not roster:
        click.echo("Nobody is on the roster yet: flask --app app advocates add --name … --phone …")
    loads = _roster().loads(roster)
    for a in roster:
        flags = [f for f, on in (("available", a.available), ("on-call", a.on_call)) if on]
        click.echo(f"{a.name:<24} {a.role.value:<10} {masked(a.phone)}  holding {loads.get(a.id, 0)}/{a.capacity}  "
                   f"{','.join(a.languages):<8} {', '.join(flags) or 'off'}")


@advocates.command("remove")
@click.argument("name")
def remove(name: str) -> None:
    """Take an advocate off the roster."""
    try:
        advocate = _roster().remove(name)
    except RosterError as exc:
        _fail(exc)
    _audit("roster", "cli", f"removed {advocate.id}")
    click.echo(f"Removed {advocate.name}.")


def _toggle(field: str, label: str):
    @click.argument("name")
    @click.option("--on/--off", "value", required=True, help=f"Turn {label} on or off.")
    def command(name: str, value: bool) -> None:
        try:
            advocate = _roster().update(name, **{field: value})
        except RosterError as exc:
            _fail(exc)
        _audit("roster", "cli", f"{advocate.id}: {label} {'on' if value else 'off'}")
        click.echo(f"{advocate.name}: {label} {'on' if value else 'off'}.")

    command.__doc__ = f"Set whether an advocate is {label}."
    return command


advocates.command("on-call")(_toggle("on_call", "on call"))
advocates.command("available")(_toggle("available", "available"))


@advocates.command("capacity")
@click.argument("name")
@click.argument("capacity")
def capacity(name: str, capacity: str) -> None:
    """Set the most conversations an advocate holds at once (NORMAL and HIGH pages skip them at it)."""
    advocate = _changed(name, capacity=capacity)
    _said(advocate, f"capacity {advocate.capacity}", f"capacity {advocate.capacity}")


@advocates.command("languages")
@click.argument("name")
@click.argument("languages")
def languages(name: str, languages: str) -> None:
    """Set the languages an advocate speaks, like en,es (they are paged first for requests in those)."""
    advocate = _changed(name, languages=languages)
    spoken = ",".join(advocate.languages)
    _said(advocate, f"languages {spoken}", f"speaks {spoken}")


def _changed(name: str, **change):
    try:
        return _roster().update(name, **change)
    except RosterError as exc:
        _fail(exc)


def _said(advocate, audited: str, shown: str) -> None:
    _audit("roster", "cli", f"{advocate.id}: {audited}")
    click.echo(f"{advocate.name}: {shown}.")


@advocates.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def set_password(name: str, password_stdin: bool) -> None:
    """Set an advocate's console password (12 characters or more); their console sessions end."""
    deps = cli_dependencies()
    try:
        advocate = deps.roster.named(name)
    except RosterError as exc:
        _fail(exc)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password (12 characters or more)", hide_input=True, confirmation_prompt=True)
    try:
        deps.credentials.set_password(advocate.id, password, advocate.name)
    except PasswordRejected as exc:
        _fail(exc)
    _audit("password", advocate.id, "set with the command line")
    click.echo(f"Password set for {advocate.name}. Anywhere they were signed in to the console, they are signed out.")
