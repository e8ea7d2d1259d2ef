"""Twilio's side of Lantern: inbound messages, status callbacks, the fallback URL, health."""
from webhooks.sms_lane import SmsLane
from webhooks.views import bp, health_bp

__all__ = ["SmsLane", "bp", "health_bp"]
