"""Rate limits for signing in (Flask-Limiter on Redis, so every web process counts together)."""
from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from store.keys import LIMITS

# No default limits: only the views that say so are limited, and Twilio's webhooks never are.
limiter = Limiter(get_remote_address, default_limits=[], headers_enabled=False, strategy="fixed-window")


def storage_for(redis_url: str | None) -> tuple[str, dict]:
    """Redis when there is one (keys under lantern:); the embedded default counts in memory."""
    if redis_url:
        return redis_url, {"key_prefix": LIMITS}
    return "memory://", {}
