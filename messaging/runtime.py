"""The Lantern objects a job runs with: the web process's own (inline jobs, tests), or built once per worker."""
from __future__ import annotations

_current = None


def bind(lantern) -> None:
    """build_lantern() binds what it built here, so jobs run with the same store, roster and sender."""
    global _current
    _current = lantern


def current():
    """The bound Lantern; in an RQ worker, built once from the environment by the composition root."""
    if _current is None:
        from config.logs import configure_logging
        from config.settings import load_settings
        from wiring import build_lantern

        configure_logging()
        build_lantern(load_settings())  # binds itself
    return _current
