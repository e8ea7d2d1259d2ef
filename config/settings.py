"""Read the environment (and .env) into one frozen Settings object."""
from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from dotenv import load_dotenv

from config.content import Content, load_content
from config.embedded_line import DEFAULT_LINE_FILE, DEFAULT_VARIABLES, STORE_VARIABLES, read_line
from config.redis_location import SENTINEL_PAIR, RedisLocation, RedisLocationError, has_redis, read_location

DEFAULT_CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_SPOOL_DIR = DEFAULT_CONFIG_DIR.parent / "instance" / "spool"
TWILIO_DEFAULT_API_BASE = "https://api.twilio.com"

# The whole of what production requires (DESIGN.md, contract with the outside).
PRODUCTION_REQUIRED = (
    "REDIS_URL",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_NUMBER",
    "PUBLIC_BASE_URL",
    "SECRET_KEY",
    "LANTERN_DATA_KEYS",
    "LANTERN_LOOKUP_KEY",
)
# Without these, data written to a real Redis could never be read back (or found) again.
KEYS_FOR_REAL_STORE = ("SECRET_KEY", "LANTERN_DATA_KEYS", "LANTERN_LOOKUP_KEY")


# Secrets production refuses: shorter than this, or a value from an example, a tutorial or a test.
MIN_SECRET_BYTES = 32
SECRETS_CHECKED = ("SECRET_KEY", "LANTERN_LOOKUP_KEY")
PLACEHOLDERS = frozenset({
    "x", "changeme", "change-me", "change_me", "secret", "secret-key", "secretkey", "your-secret-key",
    "you-will-never-guess", "dev", "development", "test", "password", "replace-me", "todo", "none", "null",
})
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


class SettingsError(RuntimeError):
    """The environment can't make a working Settings; the message names what is wrong."""


@dataclass(frozen=True)
class Settings:
    env: str
    redis_url: str | None
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_number: str
    twilio_api_base: str
    public_base_url: str
    secret_key: str
    data_keys: tuple[str, ...]
    lookup_key: bytes
    config_dir: Path
    timezone: str
    content: Content = field(repr=False)
    # True when keys were made up for this process (or this `make run`): the embedded store keeps nothing.
    ephemeral_keys: bool = False
    # True inside `make run`'s shared embedded line (web, worker and the CLI beside them).
    shared_line: bool = False
    # LANTERN_SPOOL_DIR: where messages that arrive while Redis is unreachable wait, encrypted.
    spool_dir: Path = DEFAULT_SPOOL_DIR
    # Optional: the Messaging Service the hotline number is in; `twilio connect` sets its webhooks then.
    twilio_messaging_service_sid: str = ""
    # REDIS_SENTINELS / REDIS_SENTINEL_MASTER (instead of REDIS_URL) and LANTERN_REPLICA_WAIT_MS.
    redis_sentinels: tuple[tuple[str, int], ...] = ()
    redis_sentinel_master: str = ""
    replica_wait_ms: int = 250

    @property
    def redis_location(self) -> RedisLocation:
        return RedisLocation(self.redis_url, self.redis_sentinels, self.redis_sentinel_master, self.replica_wait_ms)

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def require_two_factor(self) -> bool:
        """org.yaml `console.require_two_factor`; unset: required in production only, so that tests and the
        `make run` demo sign in with a password alone."""
        required = self.content.org.require_two_factor
        return self.production if required is None else required

    @property
    def embedded(self) -> bool:
        """The store keeps nothing: a private in-process one, or `make run`'s shared line."""
        return not self.redis_location.configured or self.shared_line

    @property
    def inline_jobs(self) -> bool:
        """No store another process can reach, so no worker: jobs run in this process as they are queued."""
        return not self.redis_location.configured


def load_settings(environ: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    """Build Settings from `environ` (default: os.environ after loading .env)."""
    env, default_line_file = _environment(environ, dotenv)
    mode = env.get("LANTERN_ENV", "development")
    line_file = env.get("LANTERN_LINE_FILE") or default_line_file
    shared_line = False
    if mode != "production" and not has_redis(env) and line_file:
        env, shared_line = _join_running_line(env, Path(line_file))
    try:
        location = read_location(env)
    except RedisLocationError as exc:
        raise SettingsError(str(exc)) from None
    _refuse_what_is_missing(env, mode)
    ephemeral = shared_line or not all(name in env for name in KEYS_FOR_REAL_STORE)
    data_keys = _data_keys(env.get("LANTERN_DATA_KEYS") or new_data_key())
    config_dir = Path(env.get("LANTERN_CONFIG_DIR", DEFAULT_CONFIG_DIR))
    content = load_content(config_dir, env.get("LANTERN_TIMEZONE"))
    return Settings(
        env=mode,
        redis_url=location.url,
        twilio_account_sid=env.get("TWILIO_ACCOUNT_SID", ""),
        twilio_auth_token=env.get("TWILIO_AUTH_TOKEN", ""),
        twilio_number=env.get("TWILIO_NUMBER", ""),
        twilio_api_base=env.get("TWILIO_API_BASE", TWILIO_DEFAULT_API_BASE).rstrip("/"),
        public_base_url=env.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        secret_key=env.get("SECRET_KEY") or secrets.token_urlsafe(32),
        data_keys=data_keys,
        lookup_key=(env.get("LANTERN_LOOKUP_KEY") or secrets.token_urlsafe(32)).encode(),
        config_dir=config_dir,
        timezone=str(content.hours.zone),
        content=content,
        ephemeral_keys=ephemeral,
        shared_line=shared_line,
        spool_dir=Path(env.get("LANTERN_SPOOL_DIR", DEFAULT_SPOOL_DIR)),
        twilio_messaging_service_sid=env.get("TWILIO_MESSAGING_SERVICE_SID", ""),
        redis_sentinels=location.sentinels,
        redis_sentinel_master=location.sentinel_master,
        replica_wait_ms=location.replica_wait_ms,
    )


def _environment(environ: Mapping[str, str] | None, dotenv: bool) -> tuple[dict[str, str], str | Path | None]:
    """The variables that are set (blank ones are not), and where a running `make run` line is found."""
    default_line_file = None
    if environ is None:
        if dotenv:
            load_dotenv(override=False)
        environ, default_line_file = os.environ, DEFAULT_LINE_FILE
    return {k: v.strip() for k, v in environ.items() if isinstance(v, str) and v.strip()}, default_line_file


def redis_location_from_environment() -> RedisLocation:
    """Where the line's Redis is, found in os.environ (after .env) as load_settings finds it: for RQ's
    settings module (config/rq_connection.py), which needs the Redis and nothing else."""
    load_dotenv(override=False)
    env = {k: v.strip() for k, v in os.environ.items() if v.strip()}
    if env.get("LANTERN_ENV") != "production" and not has_redis(env):
        env, _ = _join_running_line(env, Path(env.get("LANTERN_LINE_FILE") or DEFAULT_LINE_FILE))
    try:
        return read_location(env)
    except RedisLocationError as exc:
        raise SettingsError(str(exc)) from None


def _refuse_what_is_missing(env: dict[str, str], mode: str) -> None:
    if mode == "production":
        missing = [name for name in PRODUCTION_REQUIRED if name not in env]
        if "REDIS_URL" in missing and any(name in env for name in SENTINEL_PAIR):
            missing.remove("REDIS_URL")  # Sentinel instead (a half-set pair is refused by name below)
        elif "REDIS_URL" in missing:
            missing[missing.index("REDIS_URL")] = "REDIS_URL (or REDIS_SENTINELS with REDIS_SENTINEL_MASTER)"
        if missing:
            raise SettingsError("LANTERN_ENV=production but these are not set: " + ", ".join(missing))
        _refuse_what_is_weak(env)
    elif has_redis(env):
        missing = [name for name in KEYS_FOR_REAL_STORE if name not in env]
        if missing:
            raise SettingsError(
                "a Redis is set (REDIS_URL or REDIS_SENTINELS), so data is kept: set " + ", ".join(missing)
                + " (`flask --app app keys` prints fresh ones)"
            )


def _refuse_what_is_weak(env: dict[str, str]) -> None:
    for name in SECRETS_CHECKED:
        value = env[name]
        if value.casefold().strip("<>{}") in PLACEHOLDERS or set(value) <= {"x", "X", "0", "*", "."}:
            raise SettingsError(f"LANTERN_ENV=production refuses {name}: it is a placeholder; "
                                "`flask --app app keys` prints fresh secrets")
        if len(value.encode()) < MIN_SECRET_BYTES:
            raise SettingsError(f"LANTERN_ENV=production refuses {name}: it has {len(value.encode())} bytes, "
                                f"at least {MIN_SECRET_BYTES} are needed; `flask --app app keys` prints fresh ones")
    parts = urlsplit(env["PUBLIC_BASE_URL"])
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.netloc.rsplit(":", 1)[0] in LOOPBACK_HOSTS):
        raise SettingsError("LANTERN_ENV=production refuses PUBLIC_BASE_URL: it must start with https:// "
                            "(Twilio's signatures, the console's cookies and HSTS depend on it)")


def _join_running_line(env: dict[str, str], line_file: Path) -> tuple[dict[str, str], bool]:
    """Use `make run`'s store and keys when it is running; else stay on a private embedded store."""
    line = read_line(line_file)
    if line is None:
        return env, False
    defaults = {name: line[name] for name in DEFAULT_VARIABLES if name in line}
    store = {name: line[name] for name in STORE_VARIABLES}
    return {**defaults, **env, **store}, True


def new_data_key() -> str:
    """Return a fresh Fernet key (urlsafe base64 of 32 random bytes)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _data_keys(raw: str) -> tuple[str, ...]:
    keys = tuple(k.strip() for k in raw.split(",") if k.strip())
    for position, key in enumerate(keys, start=1):
        try:
            if len(base64.urlsafe_b64decode(key.encode())) != 32:
                raise ValueError
        except ValueError:
            raise SettingsError(
                f"LANTERN_DATA_KEYS: key {position} is not a Fernet key (urlsafe base64 of 32 bytes)"
            ) from None
    return keys
