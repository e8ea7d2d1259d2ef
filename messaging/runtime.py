"""The Lantern objects a job runs with: the web process's own (inline jobs, tests), or built once per worker."""
from __future__ import annotations

_current = None


def bind(lantern) -> None:
    """create_app() binds its Lantern here, so jobs run with the same store, roster and sender."""
    global _current
    _current = lantern


def current():
    """The bound Lantern; in an RQ worker, importing app builds and binds it once from the environment."""
    if _current is None:
        import app  # noqa: F401  (app.py's module-level create_app() calls bind)
    return _current
