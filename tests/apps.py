"""The app as tests build it, with the Lantern it runs on: `lantern_of(app)` reaches its stores."""
from __future__ import annotations

import weakref

from flask import Flask

from app import build_app
from wiring import Lantern

_LANTERNS: "weakref.WeakKeyDictionary[Flask, Lantern]" = weakref.WeakKeyDictionary()
_latest: list[Lantern] = []


def create_app(settings=None, redis=None) -> Flask:
    app, lantern = build_app(settings, redis)
    _LANTERNS[app] = lantern
    _latest[:] = [lantern]
    return app


def latest_lantern() -> Lantern:
    """The Lantern of the app built last: a test that builds an app of its own (other hours, other chat
    limits) runs its jobs with that app's dependencies, as a worker started for it would."""
    return _latest[0]


def lantern_of(app: Flask) -> Lantern:
    return _LANTERNS[app]
