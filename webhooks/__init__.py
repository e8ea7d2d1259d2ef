"""Twilio's side of Lantern: inbound messages and calls, status callbacks, the fallback URL, health."""
from webhooks.sms_lane import SmsLane
from webhooks.views import bp, health_bp
from webhooks.voice import voice_bp

__all__ = ["SmsLane", "bp", "health_bp", "voice_bp"]
