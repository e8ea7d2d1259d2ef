"""RQ's settings module for the worker role (`rq worker --config config.rq_connection`, the Procfile's).

RQ's command line reads REDIS_URL, or its own SENTINEL dictionary, from a module like this one; here
they come from the same variables as the web role's (REDIS_URL, or REDIS_SENTINELS with
REDIS_SENTINEL_MASTER, and .env, and `make run`'s embedded line), so the worker and its scheduler find
the same primary the web does, and find the new one after a failover.
"""
from __future__ import annotations

from config.redis_location import rq_settings
from config.settings import redis_location_from_environment

_settings = rq_settings(redis_location_from_environment())
REDIS_URL = _settings["REDIS_URL"]
SENTINEL = _settings["SENTINEL"]
