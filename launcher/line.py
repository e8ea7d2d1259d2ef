"""`make run`: the whole line on one embedded store, with the Procfile's own web and worker roles.

One in-memory store on loopback; the Procfile's `worker` (RQ with its scheduler) and `web`
(gunicorn) as child processes on it; a demo organisation whose sign-in is printed. Any
`flask --app app …` command started beside it finds the same store through the line file.
"""
from __future__ import annotations

import os
import secrets
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from config.embedded_line import DEFAULT_LINE_FILE, read_line, write_line
from config.settings import new_data_key
from launcher.demo_org import DEMO_ORG_NAME, DemoSignIn
from launcher.store_server import EmbeddedStoreServer

ROOT = Path(__file__).resolve().parent.parent
ROLES = ("worker", "web")  # the worker first: it is ready to send by the time the first page is queued
READY_SECONDS = 60


def procfile_command(role: str, procfile: Path = ROOT / "Procfile") -> str:
    for line in procfile.read_text(encoding="utf-8").splitlines():
        name, _, command = line.partition(":")
        if name.strip() == role:
            return command.strip()
    raise SystemExit(f"The Procfile has no {role}: line.")


def role_command(role: str, redis_url: str, port: int) -> str:
    """The Procfile's line for `role`, on the embedded store; the web role listens on loopback only,
    since this demo prints its password and keeps nothing safe enough for a network."""
    command = procfile_command(role).replace("$REDIS_URL", shlex.quote(redis_url)).replace("$PORT", str(port))
    if role == "worker":
        # This terminal is where the texts the line would send show; RQ's bookkeeping of every job
        # (printed twice: by RQ's handler and the root's) would bury them. Warnings still show.
        command += " --quiet"
    return command.replace("0.0.0.0:", "127.0.0.1:")


def line_variables(redis_url: str, port: int) -> dict[str, str]:
    """This run's throwaway keys: the store keeps nothing, so nothing written with them outlives it."""
    return {"REDIS_URL": redis_url, "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", "SECRET_KEY": secrets.token_urlsafe(32), "LANTERN_DATA_KEYS": new_data_key(),
            "LANTERN_LOOKUP_KEY": secrets.token_urlsafe(32),
            "TWILIO_AUTH_TOKEN": "demo-" + secrets.token_urlsafe(16)}


def start_role(role: str, redis_url: str, port: int, line_file: Path) -> subprocess.Popen:
    env = dict(os.environ, LANTERN_LINE_FILE=str(line_file), PORT=str(port))
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return subprocess.Popen(["/bin/sh", "-c", "exec " + role_command(role, redis_url, port)], cwd=ROOT, env=env)


def wait_until_serving(port: int, children: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            raise SystemExit("A role stopped while starting; its error is above.")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"The web role did not answer on port {port} within {READY_SECONDS} s.")


def banner(port: int, sign_in: DemoSignIn) -> str:
    base = f"http://127.0.0.1:{port}"
    return "\n".join((
        "",
        "=" * 78,
        f"Lantern is running: {DEMO_ORG_NAME}.",
        "NOTHING IS KEPT: the embedded store lives in memory; every conversation, advocate",
        "and password is gone when this stops (Ctrl-C). Set REDIS_URL for anything real.",
        "Web and worker (with its scheduler) share the store, as the Procfile runs them.",
        "",
        f"  Demo, a survivor's phone and an advocate's:  {base}/demo",
        f"  Web chat:                                    {base}/chat",
        f"  Console:  {base}/console/login",
        f"            sign in as {sign_in.name} (supervisor), password: {sign_in.password}",
        "            (Alexis Demo and Riley Demo, the invented advocates, have the same one)",
        "  Terminal:  make simulate, or flask --app app advocates list, in another terminal",
        "             joins this same line while it runs.",
        "Messages the line would text are printed here instead of sent.",
        "=" * 78,
        "",
    ))


def stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


def run(port: int, line_file: Path) -> int:
    """Serve until Ctrl-C (or SIGTERM) or until a role stops; everything is stopped and removed after."""
    server = EmbeddedStoreServer().start()
    variables = line_variables(server.url, port)
    write_line(line_file, variables)
    os.environ["LANTERN_LINE_FILE"] = str(line_file)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    children: list[subprocess.Popen] = []
    try:
        sign_in = seed()
        children = [start_role(role, server.url, port, line_file) for role in ROLES]
        wait_until_serving(port, children)
        print(banner(port, sign_in), flush=True)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        return 1  # a role stopped on its own: its error is above
    except KeyboardInterrupt:
        return 0
    finally:
        stop(children)
        line_file.unlink(missing_ok=True)
        server.stop()


def seed() -> DemoSignIn:
    """Seed the demo organisation on the line the roles run (the settings find it through the line file)."""
    from config.settings import load_settings
    from launcher.demo_org import seed_demo_org
    from wiring import build_lantern

    stores = build_lantern(load_settings()).stores
    return seed_demo_org(stores.roster, stores.credentials)


def main() -> int:
    from dotenv import load_dotenv

    load_dotenv(override=False)
    if os.environ.get("REDIS_URL") or os.environ.get("REDIS_SENTINELS"):
        raise SystemExit("REDIS_URL or REDIS_SENTINELS is set (in the environment or .env): `make run` is the embedded demo line and "
                         "never writes its demo organisation to a real Redis. Unset REDIS_URL, or run the "
                         "Procfile's web and worker roles against it.")
    if os.environ.get("LANTERN_ENV") == "production":
        raise SystemExit("LANTERN_ENV=production: `make run` is the embedded demo line, never production.")
    line_file = Path(os.environ.get("LANTERN_LINE_FILE") or DEFAULT_LINE_FILE)
    if read_line(line_file) is not None:  # a second run would take the first one's CLI away from it
        raise SystemExit(f"make run is already running here ({line_file}): use that one, or stop it first.")
    return run(int(os.environ.get("PORT", "5000")), line_file)


if __name__ == "__main__":
    sys.exit(main())
