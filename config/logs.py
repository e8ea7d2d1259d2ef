"""Logging for every process: one line per event, never a phone number or message text.

Exception messages can quote the data that caused them (a number, a survivor's words), so
tracebacks are logged as frames and the exception's type only.
"""
from __future__ import annotations

import contextlib
import logging
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class FramesOnlyFormatter(logging.Formatter):
    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        exc_type, _, tb = ei
        frames = traceback.extract_tb(tb)
        lines = [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames]
        return "Traceback (message withheld):\n" + "\n".join(lines) + f"\n{exc_type.__name__}"


@contextlib.contextmanager
def logs_sent_to(path: Path) -> Iterator[None]:
    """While inside, this process's logs go to `path` instead of the terminal (same format, same care)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    terminal = [h for h in root.handlers if getattr(h, "_lantern", False)]
    file_handler = logging.FileHandler(path, encoding="utf-8")
    file_handler.setFormatter(FramesOnlyFormatter(FORMAT))
    for handler in terminal:
        root.removeHandler(handler)
    root.addHandler(file_handler)
    try:
        yield
    finally:
        root.removeHandler(file_handler)
        file_handler.close()
        for handler in terminal:
            root.addHandler(handler)


def configure_logging(level: int = logging.INFO) -> None:
    root = logging.getLogger()
    if not any(getattr(h, "_lantern", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(FramesOnlyFormatter(FORMAT))
        handler._lantern = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    # twilio's HTTP client logs request parameters (To, Body) at INFO.
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
    # transitions logs every callback at INFO: noise, and slower than the turn itself.
    logging.getLogger("transitions").setLevel(logging.WARNING)
