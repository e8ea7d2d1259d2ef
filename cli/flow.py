"""`flask --app app flow-diagram`: write the Mermaid diagram that sits beside the flow."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from bot.engine import FLOWS_DIR
from cli.dependencies import cli_dependencies


@click.command("flow-diagram")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              default=FLOWS_DIR / "survivor.mmd", show_default=True, help="Where to write the diagram.")
@with_appcontext
def flow_diagram(output: Path) -> None:
    """Write the survivor flow as a Mermaid state diagram."""
    output.write_text(cli_dependencies().engine.flow.mermaid(), encoding="utf-8")
    click.echo(f"wrote {output}")
