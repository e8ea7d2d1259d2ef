"""The audit stream: append-only, newest first, filtered by advocate and by case code, paged."""
from __future__ import annotations

import pytest

from store.audit import AuditLog
from store.keys import AUDIT_STREAM


@pytest.fixture
def audit(lantern) -> AuditLog:
    return lantern.stores.audit


def test_entries_come_newest_first_and_filter_by_advocate_and_code(audit):
    audit.record("sign-in", "alexis rivera", detail="from 127.0.0.1")
    audit.record("claim", "alexis rivera", "K7Q2", via="sms")
    audit.record("view", "sam okafor", "K7Q2", detail="read-only, held by alexis rivera")
    audit.record("claim", "sam okafor", "M3PX")
    assert [e.event for e in audit.entries()] == ["claim", "view", "claim", "sign-in"]
    assert [(e.event, e.code) for e in audit.entries(advocate="Alexis  RIVERA")] == [("claim", "K7Q2"),
                                                                                     ("sign-in", "")]
    assert [e.advocate for e in audit.entries(code="k7q2")] == ["sam okafor", "alexis rivera"]
    assert [e.event for e in audit.entries(advocate="sam okafor", code="K7Q2")] == ["view"]
    assert audit.entries(advocate="nobody") == []


def test_pages_go_back_in_time_without_repeating(audit):
    for n in range(7):
        audit.record("claim", "alexis rivera", f"C{n:03d}")
    first = audit.entries(limit=3)
    second = audit.entries(limit=3, before=first[-1].id)
    third = audit.entries(limit=3, before=second[-1].id)
    assert [e.code for e in first + second + third] == [f"C{n:03d}" for n in range(6, -1, -1)]


def test_a_filter_finds_old_entries_past_many_others(audit, raw_redis):
    audit.record("claim", "riley chen", "OLD1")
    pipe = raw_redis.pipeline()
    for _ in range(1200):
        pipe.xadd(AUDIT_STREAM, {"at": "0", "event": "view", "advocate": "sam okafor", "code": "", "via": "console",
                                 "detail": ""})
    pipe.execute()
    assert [e.code for e in audit.entries(advocate="riley chen")] == ["OLD1"]


def test_the_stream_is_one_key_under_the_prefix(audit, raw_redis):
    audit.record("sign-in failed", "-", detail="no such name, from 127.0.0.1")
    assert AUDIT_STREAM == "lantern:audit" and raw_redis.type(AUDIT_STREAM) == b"stream"
    assert len(audit) == 1


def test_unknown_events_are_a_programming_error(audit):
    with pytest.raises(ValueError, match="unknown audit event"):
        audit.record("teleport", "alexis rivera")
