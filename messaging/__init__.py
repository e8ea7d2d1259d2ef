"""Sending: Twilio REST through RQ jobs whose arguments are ids, escalation timers, delivery status."""
