"""Safety rule 4: no phone number or message text in logs, ever (tracebacks included)."""
from __future__ import annotations

from store.keys import key_for

NUMBER = "+15555550140"
WORDS = ["hello there", "1", "1", "Pinewood Heights", "he's coming with a knife", "QUIET", "back again"]


def test_a_whole_conversation_and_a_failure_leave_no_number_or_text_in_logs(make_texter, lantern, raw_redis,
                                                                             captured_logs):
    texter = make_texter(NUMBER)
    for body in WORDS:
        texter.send(body)
    raw_redis.set(key_for(lantern.stores.store.conversation_key(NUMBER), "state"), b"garbage that fails to decrypt")
    texter.post("Pinewood Heights again")  # fails: logged with a traceback
    logs = captured_logs.getvalue()
    assert "message conv=" in logs and "Traceback" in logs  # the logs did record these turns
    for secret in [NUMBER, NUMBER[2:], "Pinewood", "knife", "hello there", "back again"]:
        assert secret not in logs
