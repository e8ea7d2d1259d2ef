"""Rate limits for signing in (Flask-Limiter on Redis, so every web process counts together)."""
from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from store.crypto import keyed_hash
from store.keys import LIMITS
from console.dependencies import console_dependencies

# Page views are counted in this many buckets, an address's bucket chosen by a keyed hash: however many
# addresses open the sign-in page (an IPv6 network has billions), the counters stay a few hundred
# kilobytes, and no counter's name carries an address. Sharing a bucket with a stranger is rare, and
# filling every bucket takes 2048 x 60 page views a minute, more than a small deployment serves anyway.
PAGE_VIEW_BUCKETS = 2048

# No default limits: only the views that say so are limited, and Twilio's webhooks never are.
limiter = Limiter(get_remote_address, default_limits=[], headers_enabled=False, strategy="fixed-window")


def storage_for(redis_url: str | None) -> tuple[str, dict]:
    """Redis when there is one (keys under lantern:); the embedded default counts in memory."""
    if redis_url:
        return redis_url, {"key_prefix": LIMITS}
    return "memory://", {}


def page_view_bucket() -> str:
    """The counter a sign-in page view from this address counts in (one of PAGE_VIEW_BUCKETS)."""
    lookup_key = console_dependencies().settings.lookup_key
    return f"views-{int(keyed_hash(lookup_key, 'page:' + get_remote_address()), 16) % PAGE_VIEW_BUCKETS}"
