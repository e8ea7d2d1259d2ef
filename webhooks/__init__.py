"""Twilio's side of Lantern: inbound messages, status callbacks, the fallback URL, health."""
from webhooks.views import bp, health_bp

__all__ = ["bp", "health_bp"]
