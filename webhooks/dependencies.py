"""What Twilio's webhooks (messages, calls, status, fallback, health) use, built once when the app is."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app
from redis import Redis

from config.settings import Settings
from messaging.calls import MissedCalls
from messaging.delivery import DeliveryJobs
from store.memory_gauge import MemoryGauge
from store.roster import Roster

EXTENSION = "lantern.webhooks"


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


def install(app: Flask, dependencies: WebhookDependencies) -> None:
    app.extensions[EXTENSION] = dependencies


def webhook_dependencies() -> WebhookDependencies:
    """The running app's (resolved once, when it was built)."""
    found: WebhookDependencies = current_app.extensions[EXTENSION]
    return found
