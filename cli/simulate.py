"""`flask --app app simulate`: chat with the bot in a terminal, as one texter."""
from __future__ import annotations

import uuid

import click
from flask import current_app
from flask.cli import with_appcontext

from bot.conversation import Inbound
from webhooks.parsing import clean_body

TEST_NUMBER = "+15555550100"
# Invented advocates for the embedded default, whose roster starts empty and is kept nowhere.
DEMO_ROSTER = (("Alexis Demo", "+12135550100", True, False), ("Riley Demo", "+12135550199", False, True))


@click.command("simulate")
@click.option("--from", "address", default=TEST_NUMBER, show_default=True,
              help="The texter's address (a +1 555 01xx number, or whatsapp:+1…).")
@with_appcontext
def simulate(address: str) -> None:
    """Text the bot from the terminal; an empty line or Ctrl-D ends. Type [media] to send a picture."""
    lantern = current_app.extensions["lantern"]
    click.echo(f"Texting the line as {address} ({lantern.store_kind} store). Empty line to end.")
    if lantern.store_kind == "embedded" and not lantern.roster.all():
        for name, phone, available, on_call in DEMO_ROSTER:
            lantern.roster.add(name, phone, available=available, on_call=on_call)
        click.echo("Demo roster (invented): Alexis Demo on shift, Riley Demo on call. Pages show below.")
    while True:
        try:
            line = input("you> ")
        except EOFError:
            break
        if not line.strip():
            break
        media = "[media]" in line
        body = clean_body(line.replace("[media]", ""))
        replies = lantern.service.handle(Inbound("SM" + uuid.uuid4().hex, address, body, int(media)))
        for reply in replies or ["(no reply)"]:
            click.echo(click.style("bot> ", fg="green") + reply)
    _show_queue(lantern)


def _show_queue(lantern) -> None:
    waiting = lantern.store.waiting_requests()
    click.echo(f"Handoff queue: {len(waiting)} waiting")
    for conv in waiting:
        click.echo(f"  {conv.case_code} {conv.priority.value} ({conv.lang}, {conv.area or 'area not given'})")
