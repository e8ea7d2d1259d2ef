"""What the /demo page uses, built once when the app is (app.py), on the embedded line only."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from config.settings import Settings
from store.demo_phones import DemoPhones
from store.roster import Roster

EXTENSION = "lantern.demo"


@dataclass(frozen=True)
class DemoDependencies:
    settings: Settings
    roster: Roster
    demo_phones: DemoPhones


def install(app: Flask, dependencies: DemoDependencies) -> None:
    app.extensions[EXTENSION] = dependencies


def demo_dependencies() -> DemoDependencies:
    """The running app's (resolved once, when it was built)."""
    found: DemoDependencies = current_app.extensions[EXTENSION]
    return found
