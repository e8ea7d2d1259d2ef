"""What the `flask --app app …` commands use, built once when the app is (app.py)."""
from __future__ import annotations

from dataclasses import dataclass

from bot.blocking import BlockDesk
from bot.engine import Engine
from bot.service import InboundService
from config.settings import Settings
from store.audit import AuditLog
from store.blocks import BlockList
from store.credentials import Credentials
from store.misreads import Misreads
from store.outreach import Outreaches
from store.redis_store import RedisStore
from store.reports import ReportCounters
from store.roster import Roster
from store.two_factor import TwoFactor
from extension_slot import ExtensionSlot

@dataclass(frozen=True)
class CliDependencies:
    settings: Settings
    store: RedisStore
    roster: Roster
    credentials: Credentials
    two_factor: TwoFactor
    audit: AuditLog
    blocking: BlockDesk
    blocks: BlockList
    engine: Engine
    service: InboundService
    outreaches: Outreaches
    reports: ReportCounters
    misreads: Misreads


cli_dependencies: ExtensionSlot[CliDependencies] = ExtensionSlot("lantern.cli")  # cli_dependencies(): the running app's
install = cli_dependencies.install
