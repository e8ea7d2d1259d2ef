"""Dockerfile and compose.yaml run the Procfile's roles (Docker itself isn't here: the files are read)."""
from __future__ import annotations

import json
import shlex
from pathlib import Path

import yaml

from config.settings import PRODUCTION_REQUIRED
from tests.test_procfile import procfile_role

ROOT = Path(__file__).resolve().parent.parent


def procfile_roles() -> set[str]:
    return {line.partition(":")[0].strip() for line in (ROOT / "Procfile").read_text().splitlines() if line.strip()}


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) in order, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def shell_command(command: list[str]) -> str:
    assert command[:2] == ["sh", "-c"] and command[2].startswith("exec "), command
    return command[2].removeprefix("exec ")


def test_the_image_starts_the_procfile_web_role_as_a_user_not_root():
    steps = dockerfile()
    instructions = [name for name, _ in steps]
    assert steps[0][0] == "FROM" and steps[0][1].startswith("python:3.1")
    assert instructions.index("USER") < instructions.index("CMD") and dict(steps)["USER"] != "root"
    assert shell_command(json.loads(dict(steps)["CMD"])) == procfile_role("web")
    installs = [args for name, args in steps if name == "RUN" and "pip install" in args]
    assert installs == ["pip install -r requirements.txt"]  # the pinned runtime only: no test tools
    assert "LANTERN_ENV=production" in dict(steps)["ENV"]


def test_compose_runs_every_procfile_role_as_the_procfile_writes_it():
    services = compose()["services"]
    assert procfile_roles() <= set(services)
    for role in procfile_roles():
        # compose fills in $X itself; $$X reaches the container's shell as $X, as on a platform.
        assert shell_command(services[role]["command"]).replace("$$", "$") == procfile_role(role)


def test_compose_roles_share_one_persistent_redis_in_production_mode():
    document = compose()
    services = document["services"]
    for role in procfile_roles():
        environment = services[role]["environment"]
        assert environment["LANTERN_ENV"] == "production"
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert services[role]["env_file"] == ".env" and services[role]["build"] == "."
        assert services[role]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "--appendonly" in services["redis"]["command"] and "redis-data" in document["volumes"]
    # Everything else production requires comes from .env, which never goes into the image.
    assert set(PRODUCTION_REQUIRED) <= set(_env_example_names())
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


def test_the_web_port_is_published_on_loopback_for_a_tls_proxy():
    web = compose()["services"]["web"]
    # A range, so that `--scale web=3` gives each replica a port of its own, loopback only.
    assert web["ports"] == ["127.0.0.1:8000-8002:8000"] and web["environment"]["PORT"] == "8000"
    assert "/healthz" in " ".join(web["healthcheck"]["test"])


def _env_example_names() -> list[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return [shlex.split(line)[0].split("=")[0] for line in lines if line and not line.startswith("#")]


def test_every_service_has_a_healthcheck_and_redis_never_evicts():
    document = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = document["services"]
    assert all("healthcheck" in spec for spec in services.values()), "every service says when it is healthy"
    redis = services["redis"]["command"]
    assert redis[redis.index("--maxmemory") + 1].endswith("mb")
    assert redis[redis.index("--maxmemory-policy") + 1] == "noeviction"


def test_the_sentinel_profile_runs_a_primary_two_replicas_and_three_sentinels_for_every_role():
    services = compose()["services"]
    profiled = {name for name, service in services.items() if service.get("profiles") == ["sentinel"]}
    assert profiled == {"redis-primary", "redis-replica-1", "redis-replica-2", "sentinel-1", "sentinel-2", "sentinel-3"}
    for replica in ("redis-replica-1", "redis-replica-2"):
        assert "--replicaof" in services[replica]["command"]
    for sentinel in ("sentinel-1", "sentinel-2", "sentinel-3"):
        command = " ".join(services[sentinel]["command"])
        assert "--sentinel" in command and "sentinel monitor lantern redis-primary 6379 2" in command
    for role in procfile_roles():
        environment = services[role]["environment"]
        assert {"REDIS_SENTINELS", "REDIS_SENTINEL_MASTER"} <= set(environment)
        assert environment["LANTERN_SPOOL_DIR"] == "/spool" and "spool:/spool" in services[role]["volumes"]
