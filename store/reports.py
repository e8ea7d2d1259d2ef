"""Report counters, kept as events happen: per day (in the line's time zone), names and counts only.

Nothing here names a person: no number, no words, no case code; a conversation's DELETE leaves these.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from redis import Redis

from bot.reports import MAX_REPORT_DAYS, Report, build_report
from store.keys import report_day_key, report_durations_key, report_once_key

ONCE_TTL = 3 * 24 * 3600
REPLY_GROUPS = tuple(f"{p}:{s}" for p in ("URGENT", "HIGH", "NORMAL") for s in ("staffed", "after_hours"))


class ReportCounters:
    def __init__(self, redis: Redis, zone: ZoneInfo):
        self.redis = redis
        self.zone = zone

    def day_of(self, at: float) -> str:
        return datetime.fromtimestamp(at, self.zone).date().isoformat()

    def count(self, names, at: float, pipe=None) -> None:
        """Add one to each name, on the day `at` falls in."""
        own = pipe is None
        pipe = self.redis.pipeline(transaction=False) if own else pipe
        for name in names:
            pipe.hincrby(report_day_key(self.day_of(at)), name, 1)
        if own:
            pipe.execute()

    def count_once(self, event: str, name: str, at: float) -> bool:
        """Count `name` the first time `event` happens (a retried job, a second claim: not again)."""
        if not self.redis.set(report_once_key(event), 1, nx=True, ex=ONCE_TTL):
            return False
        self.count([name], at)
        return True

    def first_reply(self, event: str, priority: str, after_hours: bool, seconds: float, at: float) -> None:
        """A request's first human reply (its first claim), timed from the request, once per request."""
        if not self.redis.set(report_once_key("reply:" + event), 1, nx=True, ex=ONCE_TTL):
            return
        group = f"{priority}:{'after_hours' if after_hours else 'staffed'}"
        self.redis.rpush(report_durations_key(self.day_of(at), group), max(0, int(seconds)))

    def between(self, start: date, end: date) -> tuple[dict[date, dict[str, int]], dict[date, dict[str, list[int]]]]:
        """Every day's counters and reply times from `start` to `end`, both included, in one round trip."""
        days = [start + timedelta(days=i) for i in range((end - start).days + 1)][:MAX_REPORT_DAYS]
        pipe = self.redis.pipeline(transaction=False)
        for day in days:
            pipe.hgetall(report_day_key(day.isoformat()))
            for group in REPLY_GROUPS:
                pipe.lrange(report_durations_key(day.isoformat(), group), 0, -1)
        results = iter(pipe.execute())
        counts, replies = {}, {}
        for day in days:
            counts[day] = {k.decode(): int(v) for k, v in next(results).items()}
            replies[day] = {g: [int(s) for s in next(results)] for g in REPLY_GROUPS}
        return counts, replies


def read_report(reports: ReportCounters, outreaches, start: date, end: date, outcomes: tuple[str, ...] = ()) -> Report:
    """The report for a range, read from the day counters (shared by the console page)."""
    counts, replies = reports.between(start, end)
    ids = {name.split(".")[1] for day in counts.values() for name in day if name.startswith("outreach.")}
    outreaches = {o.id: o for o in outreaches.all()
                  if o.id in ids or start.isoformat() <= o.date <= end.isoformat()}
    return build_report(start, end, counts, replies, outreaches, outcomes)
