"""Safety rule 4 at rest: raw Redis holds no phone number and no message text."""
from __future__ import annotations

NUMBER = "+15555550150"
WORDS = ["hola, necesito ayuda", "2", "si", "Barrio Rosales", "me pega mucho"]


def every_raw_value(raw_redis) -> list[bytes]:
    values = []
    for key in raw_redis.scan_iter("*"):
        kind = raw_redis.type(key).decode()
        values.append(key)
        if kind == "string":
            values.append(raw_redis.get(key))
        elif kind == "list":
            values += raw_redis.lrange(key, 0, -1)
        elif kind == "zset":
            values += [m for m, _ in raw_redis.zrange(key, 0, -1, withscores=True)]
        elif kind == "hash":
            values += [v for pair in raw_redis.hgetall(key).items() for v in pair]
    return values


def test_raw_redis_holds_no_number_and_no_words(make_texter, raw_redis, lantern):
    texter = make_texter(NUMBER)
    for body in WORDS:
        texter.send(body)
    assert lantern.stores.store.waiting_requests()  # the conversation really is stored
    blob = b"\n".join(every_raw_value(raw_redis))
    for secret in [NUMBER, NUMBER[2:], "5550150", "Rosales", "necesito", "me pega"]:
        assert secret.encode() not in blob
