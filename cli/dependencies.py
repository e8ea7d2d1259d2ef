"""What the `flask --app app …` commands use, built once when the app is (app.py)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

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

EXTENSION = "lantern.cli"


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


def install(app: Flask, dependencies: CliDependencies) -> None:
    app.extensions[EXTENSION] = dependencies


def cli_dependencies() -> CliDependencies:
    """The app's (resolved once, when it was built); a command runs inside its app context."""
    found: CliDependencies = current_app.extensions[EXTENSION]
    return found
