"""gunicorn settings file for the web role (the Procfile's --config): refuse to start with settings that
would let slow clients or chat streams starve Twilio's webhooks. The options themselves stay in the
Procfile, where a deployment reads them."""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # gunicorn execs this file by path

from dotenv import load_dotenv  # noqa: E402

from config.chat import load_chat  # noqa: E402
from config.serving import ServingError, check_serving  # noqa: E402
from config.settings import DEFAULT_CONFIG_DIR  # noqa: E402


def on_starting(server) -> None:
    load_dotenv(override=False)  # as the app itself reads .env
    config_dir = Path(os.environ.get("LANTERN_CONFIG_DIR") or DEFAULT_CONFIG_DIR)
    try:
        check_serving(server.cfg.worker_class_str, server.cfg.threads, load_chat(config_dir / "chat.yaml"))
    except ServingError as exc:
        raise SystemExit(str(exc)) from None
