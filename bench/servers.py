"""The processes a benchmark run owns: gunicorn as the Procfile's web role runs it, and CPU counters.

gunicorn is started in its own session, so a Ctrl-C reaches the benchmark and not its workers in
mid-request; the benchmark then stops it, and `stop` kills the whole process group if the polite
signal is not enough. (The private redis-server is tests/redis_server.py's, stopped the same way.)
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.load import exchange

REPO = Path(__file__).resolve().parent.parent
VARIABLE = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)")
# Deployment settings that would make the run measure something other than the Procfile's web role.
_DROPPED_ENV = ("LANTERN_", "TWILIO_", "REDIS_", "GUNICORN_CMD_ARGS", "WEB_CONCURRENCY", "PORT")


def procfile_web_command(app_target: str, port: int, workers: int | None = None, tree: Path = REPO) -> list[str]:
    """The Procfile's `web:` command on this port, bound to loopback only; its own default workers
    unless `workers` is given (as WEB_CONCURRENCY would be). `tree`: another checkout's Procfile."""
    line = next(x for x in (tree / "Procfile").read_text().splitlines() if x.startswith("web:"))
    values = {"PORT": str(port)} | ({"WEB_CONCURRENCY": str(workers)} if workers else {})
    args = shlex.split(VARIABLE.sub(lambda m: expand_variable(m, values), line[len("web:"):]))
    if args[:2] != ["gunicorn", "app:app"]:
        raise RuntimeError(f"Procfile's web role is no longer `gunicorn app:app ...`: {line!r}")
    args = [a.replace("0.0.0.0:", "127.0.0.1:") for a in args]  # never listen beyond this machine
    args[0] = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    args[1] = app_target
    return args


def expand_variable(match: re.Match, values: dict[str, str]) -> str:
    name = match.group(1) or match.group(3)
    if name in values:
        return values[name]
    if match.group(2) is not None:
        return match.group(2)
    raise RuntimeError(f"Procfile uses ${name}, which the benchmark does not set")


def server_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_DROPPED_ENV)}
    env.update(extra)
    return env


@dataclass
class Gunicorn:
    process: subprocess.Popen
    port: int
    log_path: Path

    @classmethod
    def start(cls, args: list[str], env: dict[str, str], port: int, log_path: Path, tree: Path = REPO) -> "Gunicorn":
        # stderr to a file: Lantern's per-request log lines are still written, not shown.
        with open(log_path, "wb") as log:
            process = subprocess.Popen(args, cwd=tree, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                       stderr=log, start_new_session=True)
        return cls(process, port, log_path)

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Until a worker answers an HTTP request (a 404 is an answer)."""
        deadline = time.monotonic() + timeout
        probe = f"GET /bench-ready HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nConnection: close\r\n\r\n"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                exchange("127.0.0.1", self.port, probe.encode(), timeout=2.0)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def pids(self) -> list[int]:
        return [self.process.pid, *children(self.process.pid)]

    def log_tail(self, lines: int = 15) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM, gunicorn's graceful stop: a worker still inside its last sendall finishes instead
        of logging an error (SIGINT did that). The group kill catches anything left behind."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # workers that outlived their master
        except ProcessLookupError:
            pass
        self.process.wait()


def children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (FileNotFoundError, PermissionError):
        return []


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (Linux /proc)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds all CPUs spent busy so far, steal included (Linux /proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
