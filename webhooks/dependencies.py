"""What Twilio's webhooks (messages, calls, status, fallback, health) use, built once when the app is."""
from __future__ import annotations

from dataclasses import dataclass

from redis import Redis

from config.settings import Settings
from messaging.calls import MissedCalls
from messaging.delivery import DeliveryJobs
from store.memory_gauge import MemoryGauge
from store.roster import Roster
from extension_slot import ExtensionSlot

@dataclass(frozen=True)
class WebhookDependencies:
    settings: Settings
    safety_message: str
    roster: Roster
    missed_calls: MissedCalls
    delivery: DeliveryJobs  # status callbacks
    redis: Redis  # the health check's ping
    store_kind: str
    memory: MemoryGauge


webhook_dependencies: ExtensionSlot[WebhookDependencies] = ExtensionSlot("lantern.webhooks")  # webhook_dependencies(): the running app's
install = webhook_dependencies.install
