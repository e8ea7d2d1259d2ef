"""What the /demo page uses, built once when the app is (app.py), on the embedded line only."""
from __future__ import annotations

from dataclasses import dataclass

from config.settings import Settings
from store.demo_phones import DemoPhones
from store.roster import Roster
from extension_slot import ExtensionSlot

@dataclass(frozen=True)
class DemoDependencies:
    settings: Settings
    roster: Roster
    demo_phones: DemoPhones


demo_dependencies: ExtensionSlot[DemoDependencies] = ExtensionSlot("lantern.demo")  # demo_dependencies(): the running app's
install = demo_dependencies.install
