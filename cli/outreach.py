"""`flask --app app outreach add|list|handed-out`: outreach nights and the card codes of those who went."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from store.exceptions import OutreachError
from cli.dependencies import cli_dependencies

outreach = AppGroup("outreach", help="Outreach nights: a card code for each advocate who went.")


def _fail(exc: OutreachError) -> None:
    click.echo(str(exc), err=True)
    raise SystemExit(1)


@outreach.command("add")
@click.option("--name", required=True, help='What the night is called, like "Reclaim and Rebuild, Dec 12".')
@click.option("--date", "day", required=True, help="The night it is held, YYYY-MM-DD.")
@click.option("--area", required=True, help="The general area, like South LA.")
@click.option("--advocate", "advocates", multiple=True, help="An advocate on the roster who goes (repeat for each).")
def add(name: str, day: str, area: str, advocates: tuple[str, ...]) -> None:
    """Create an outreach and print each advocate's card code."""
    deps = cli_dependencies()
    try:
        created = deps.outreaches.create(name, day, area, list(advocates))
    except OutreachError as exc:
        _fail(exc)
    deps.audit.record("outreach", "cli", via="cli", detail=f"created {created.id} with {len(created.cards)} cards")
    click.echo(f"Outreach {created.id}: {created.name}, {created.date}, {created.area}")
    for card in created.cards:
        click.echo(f"  {card['code']}  {card['name']}")
    click.echo("Print the cards from the console: Outreach, then Print cards.")


@outreach.command("list")
def list_outreaches() -> None:
    """Every outreach, the most recent first, with its card codes."""
    found = cli_dependencies().outreaches.all()
    if not found:
        click.echo('No outreach yet: flask --app app outreach add --name … --date … --area … --advocate …')
    for o in found:
        handed = "not recorded" if o.handed_out is None else str(o.handed_out)
        cards = ", ".join(f"{c['code']} {c['name']}" for c in o.cards)
        click.echo(f"{o.date}  {o.id}  {o.name} ({o.area}); cards handed out: {handed}; codes: {cards}")


@outreach.command("handed-out")
@click.argument("outreach_id")
@click.argument("count", type=int)
def handed_out(outreach_id: str, count: int) -> None:
    """Record how many cards were handed out on an outreach (for the report)."""
    deps = cli_dependencies()
    try:
        found = deps.outreaches.record_handed_out(outreach_id, count)
    except OutreachError as exc:
        _fail(exc)
    deps.audit.record("outreach", "cli", via="cli", detail=f"{found.id}: {count} cards handed out")
    click.echo(f"{found.name}: {count} cards handed out.")
