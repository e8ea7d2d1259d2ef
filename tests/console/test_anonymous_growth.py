"""What anonymous GETs of /console/login, /chat and /healthz leave in Redis: a bounded set of counters
and at most one audit entry a minute, however many requests and from however many addresses."""
from __future__ import annotations

import pytest

from console.limits import PAGE_VIEW_BUCKETS
from tests.apps import lantern_of

PATHS = ("/console/login", "/chat", "/healthz")


def _address(n: int) -> str:
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def _view_all(app, addresses) -> None:
    for n in addresses:
        client = app.test_client()
        for path in PATHS:
            assert client.get(path, environ_base={"REMOTE_ADDR": _address(n)}).status_code in (200, 429)


def _footprint(raw_redis) -> tuple[int, int, int]:
    """Keys, audit entries, and the bytes the keys of this test's database take (MEMORY USAGE of each):
    the server's used_memory also counts other test processes' data and every client's buffers, and
    has been seen to fall while the counters grew."""
    keys = raw_redis.keys("*")
    pipe = raw_redis.pipeline(transaction=False)
    for key in keys:
        pipe.memory_usage(key, samples=0)
    used = sum(size or 0 for size in pipe.execute())
    return len(keys), raw_redis.xlen("lantern:audit"), used


def test_one_address_flooding_the_pages_adds_one_counter_and_one_audit_entry(app, raw_redis):
    client = app.test_client()
    answers = [client.get(path, environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code
               for _ in range(400) for path in PATHS]
    assert answers.count(429) == 400 - 60  # the sign-in page, past its 60 a minute
    keys = {k.decode() for k in raw_redis.keys("*")}
    assert [k for k in keys if k.startswith("lantern:limits")] and len(keys) <= 3  # counter, audit, its marker
    [entry] = [e for e in lantern_of(app).stores.audit.entries() if e.event == "sign-in failed"]
    assert "page views limited" in entry.detail
    assert not any("198.51.100.7" in k for k in keys)  # counters are named by a keyed hash, not the address


def test_many_addresses_fill_a_bounded_set_of_counters_and_then_redis_stops_growing(app, raw_redis, redis_url):
    if redis_url is None:
        pytest.skip("the embedded store counts page views in memory")
    # A few views first, so that the keys every view writes once (the audit marker) are in the baseline and
    # the rounds measure the counters alone.
    _view_all(app, range(10**6, 10**6 + 8))
    baseline = _footprint(raw_redis)
    rounds, per_round = 5, 1024
    seen = []
    for r in range(rounds):
        _view_all(app, range(r * per_round, (r + 1) * per_round))
        seen.append(_footprint(raw_redis))
    keys = [k for k, _, _ in seen]
    assert keys == sorted(keys) and keys[-1] <= PAGE_VIEW_BUCKETS + 2  # 5120 addresses, at most 2048 counters
    assert keys[-1] - keys[-2] < (keys[0] - baseline[0]) / 4  # the last round adds a fraction of the first
    assert all(audit == baseline[1] for _, audit, _ in seen)  # nobody was limited: nothing audited
    first_round_bytes = seen[0][2] - baseline[2]
    per_counter = first_round_bytes / (keys[0] - baseline[0])
    # The plateau: whatever the number of addresses, no more than every bucket's counter (plus slack for
    # Redis's own buffers).
    assert seen[-1][2] - baseline[2] < PAGE_VIEW_BUCKETS * per_counter + 256 * 1024
