"""RQ's settings module for the worker role (`rq worker --config config.rq_connection`, the Procfile's).

RQ's command line reads REDIS_URL, or its own SENTINEL dictionary, from a module like this one; here
they come from the same variables as the web role's (REDIS_URL, or REDIS_SENTINELS with
REDIS_SENTINEL_MASTER, and .env, and `make run`'s embedded line), so the worker and its scheduler find
the same primary the web does, and find the new one after a failover.
"""
from __future__ import annotations

from redis import ConnectionPool, Redis
from redis.sentinel import Sentinel

from config.redis_location import rq_settings
from config.settings import redis_location_from_environment

_settings = rq_settings(redis_location_from_environment())
REDIS_URL = _settings["REDIS_URL"]
SENTINEL = _settings["SENTINEL"]


class LineRedis(Redis):
    """The client class for `rq worker-pool --connection-class` (the Procfile's worker role).

    RQ's pool rebuilds each worker's client from a plain ConnectionPool with the parent's settings, which
    cannot follow a Sentinel-managed primary; this class sets that pool aside and connects as the settings
    above say: REDIS_URL, or the current primary through REDIS_SENTINELS (found again after a failover)."""

    def __init__(self, *args, connection_pool=None, **kwargs):
        location = redis_location_from_environment()
        if location.sentinels:
            sentinel = SENTINEL
            pool = Sentinel(sentinel["INSTANCES"], sentinel_kwargs=sentinel["SENTINEL_KWARGS"]).master_for(
                sentinel["MASTER_NAME"], **sentinel["CONNECTION_KWARGS"]).connection_pool
        elif location.url:
            pool = ConnectionPool.from_url(location.url)
        else:
            pool = connection_pool if connection_pool is not None else ConnectionPool(*args, **kwargs)
        super().__init__(connection_pool=pool)
