"""The file by which `make run`'s processes and the CLI find one shared embedded line.

`make run` starts one embedded store and writes its address, with the throwaway keys of this run,
here; web, worker and any `flask --app app …` command started beside it read the file and use the
same store, so an advocate added from the CLI is paged by the worker and signs in to the console.
Nothing in it outlives the run: the store keeps nothing, and the file is removed when it stops.
"""
from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_LINE_FILE = Path(__file__).resolve().parent.parent / "instance" / "embedded-line.json"
# The store and the keys that read it: the line's always win, since data written with other keys
# could never be read back.
STORE_VARIABLES = ("REDIS_URL", "SECRET_KEY", "LANTERN_DATA_KEYS", "LANTERN_LOOKUP_KEY")
# Where the line is served and the token its webhooks are signed with: used where nothing else is set.
DEFAULT_VARIABLES = ("PUBLIC_BASE_URL", "TWILIO_AUTH_TOKEN")
LINE_VARIABLES = STORE_VARIABLES + DEFAULT_VARIABLES


def write_line(path: Path, variables: dict[str, str]) -> None:
    """Write the line's variables, readable by this user only (the keys are in it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump({name: variables[name] for name in LINE_VARIABLES}, file)


def read_line(path: Path) -> dict[str, str] | None:
    """The running line's variables, or None when no line is running (no file, or a stale one)."""
    try:
        variables = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(variables, dict) or any(name not in variables for name in LINE_VARIABLES):
        return None
    if not _answers(str(variables["REDIS_URL"])):
        return None  # left behind by a run that was killed: its store is gone
    return {name: str(variables[name]) for name in LINE_VARIABLES}


def _answers(url: str) -> bool:
    parts = urlsplit(url)
    if parts.hostname != "127.0.0.1" or not parts.port:
        return False  # the embedded store only ever listens on loopback
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=0.5):
            return True
    except OSError:
        return False
