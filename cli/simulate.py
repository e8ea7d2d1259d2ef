"""`flask --app app simulate`: chat with the bot in a terminal, as one texter."""
from __future__ import annotations

import uuid
from pathlib import Path

import click
from flask.cli import with_appcontext

from bot.conversation import Inbound
from config.embedded_line import DEFAULT_LINE_FILE
from config.logs import logs_sent_to
from launcher.demo_org import seed_roster
from bot.message_text import clean_body
from bot.service import InboundService
from cli.dependencies import cli_dependencies
from store.redis_store import RedisStore

TEST_NUMBER = "+15555550100"
LOG_FILE = DEFAULT_LINE_FILE.parent / "simulate.log"


@click.command("simulate")
@click.option("--from", "address", default=TEST_NUMBER, show_default=True,
              help="The texter's address (a +1 555 01xx number, or whatsapp:+1…).")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path), default=LOG_FILE,
              help="Where this session's logs go, so that none lands in the conversation.")
@with_appcontext
def simulate(address: str, log_file: Path) -> None:
    """Text the bot from the terminal; an empty line or Ctrl-D ends. Type [media] to send a picture."""
    deps = cli_dependencies()
    click.echo(f"Texting the line as {address} ({_which_line(deps.settings)}). Empty line to end.")
    click.echo(f"Logs go to {log_file}.")
    if deps.settings.inline_jobs and not deps.roster.all():
        seed_roster(deps.roster)
        click.echo("Demo roster (invented): Alexis Demo on shift, Riley Demo on call. Pages show below.")
    # A log line between "you>" and "bot>" reads as part of the conversation.
    with logs_sent_to(log_file):
        _chat(deps.service, address)
    _show_queue(deps.store)


def _chat(service: InboundService, address: str) -> None:
    while True:
        try:
            line = input("you> ")
        except EOFError:
            return
        if not line.strip():
            return
        media = "[media]" in line
        body = clean_body(line.replace("[media]", ""))
        replies = service.handle(Inbound("SM" + uuid.uuid4().hex, address, body, int(media)))
        for reply in replies or ["(no reply)"]:
            click.echo(click.style("bot> ", fg="green") + reply)


def _which_line(settings) -> str:
    if settings.shared_line:
        return "the line `make run` is running: its pages show in its terminal"
    return f"{'an embedded store of its own' if settings.inline_jobs else 'REDIS_URL'}"


def _show_queue(store: RedisStore) -> None:
    waiting = store.waiting_requests()
    click.echo(f"Handoff queue: {len(waiting)} waiting")
    for conv in waiting:
        click.echo(f"  {conv.case_code} {conv.priority.value} ({conv.lang}, {conv.area or 'area not given'})")
