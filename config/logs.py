"""Logging for every process: one line per event, never a phone number or message text.

Exception messages can quote the data that caused them (a number, a survivor's words), so
tracebacks are logged as frames and the exception's type only.
"""
from __future__ import annotations

import logging
import sys
import traceback

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class FramesOnlyFormatter(logging.Formatter):
    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        exc_type, _, tb = ei
        frames = traceback.extract_tb(tb)
        lines = [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames]
        return "Traceback (message withheld):\n" + "\n".join(lines) + f"\n{exc_type.__name__}"


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
