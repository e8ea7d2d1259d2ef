"""What the console's views use, built once when the app is (app.py) and handed in by init_console."""
from __future__ import annotations

from dataclasses import dataclass

from bot.advocates import AdvocateTexts
from bot.blocking import BlockDesk
from bot.engine import Engine
from bot.handoff import AdvocateDesk
from config.console_content import CannedReply
from config.settings import Settings
from messaging.postbox import Postbox
from store.attempts import SignInAttempts
from store.audit import AuditLog
from store.blocks import BlockList
from store.credentials import Credentials
from store.delivery import DeliveryStates
from store.memory_gauge import MemoryGauge
from store.misreads import Misreads
from store.offers import Offers
from store.outbox import Outbox
from store.outreach import Outreaches
from store.reads import ForeignReads
from store.redis_store import RedisStore
from store.reports import ReportCounters
from store.roster import Roster
from store.sessions import SessionStore
from store.shelters import ShelterBoard
from store.two_factor import TwoFactor
from store.whatsapp_window import WhatsAppWindows
from extension_slot import ExtensionSlot

@dataclass(frozen=True)
class ConsoleDependencies:
    settings: Settings
    store: RedisStore
    roster: Roster
    credentials: Credentials
    two_factor: TwoFactor
    sessions: SessionStore
    sign_in_attempts: SignInAttempts
    code_attempts: SignInAttempts
    foreign_reads: ForeignReads
    desk: AdvocateDesk
    blocking: BlockDesk
    blocks: BlockList
    engine: Engine
    texts: AdvocateTexts
    postbox: Postbox  # the supervisors' alerts
    offers: Offers
    outreaches: Outreaches
    reports: ReportCounters
    audit: AuditLog
    misreads: Misreads
    shelters: ShelterBoard
    memory: MemoryGauge
    outbox: Outbox
    deliveries: DeliveryStates
    whatsapp: WhatsAppWindows
    canned_replies: dict[str, tuple[CannedReply, ...]]


console_dependencies: ExtensionSlot[ConsoleDependencies] = ExtensionSlot("lantern.console")  # console_dependencies(): the running app's
install = console_dependencies.install
