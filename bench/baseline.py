"""The baseline: a bare Flask endpoint doing one Redis GET and one SET, answering a tiny TwiML.

bench/webhook.py serves it as `bench.baseline:app` with the same gunicorn settings as Lantern and
sends it the same signed requests, so Lantern/baseline prices what Lantern adds over the least a
Redis-backed webhook must do. It ignores the signature on purpose.
"""
from __future__ import annotations

import os

from flask import Flask, Response, request
from redis import Redis

TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>ok</Message></Response>'

app = Flask(__name__)
# The same client settings as Lantern's connect_redis, so the two pay the same per command.
redis = Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2, socket_connect_timeout=1,
                       health_check_interval=30)


@app.post("/webhooks/sms")
def sms() -> Response:
    # Reading the form is part of the least work: any webhook must parse Twilio's POST.
    key = "bare:" + request.form.get("From", "")
    redis.get(key)
    redis.set(key, request.form.get("MessageSid", ""))
    return Response(TWIML, status=200, mimetype="text/xml")
