"""`flask --app app keys`: print fresh secrets for a new deployment's environment."""
from __future__ import annotations

import secrets

import click

from config.settings import new_data_key


@click.command("keys")
def keys() -> None:
    """Print a fresh SECRET_KEY, LANTERN_DATA_KEYS and LANTERN_LOOKUP_KEY for .env."""
    click.echo(f"SECRET_KEY={secrets.token_urlsafe(32)}")
    click.echo(f"LANTERN_DATA_KEYS={new_data_key()}")
    click.echo(f"LANTERN_LOOKUP_KEY={secrets.token_urlsafe(32)}")
