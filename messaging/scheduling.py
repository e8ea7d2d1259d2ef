"""RQ jobs for later, written on a turn's own write when there is one.

RQ's `enqueue_at(..., pipeline=)` puts the job on the pipeline but adds it to the scheduled registry
straight away, outside it (rq 2.12, ScheduledJobRegistry.schedule). A turn's write must hold all of it,
or none: a turn that is run again (its conversation changed meanwhile) would leave a schedule behind.
"""
from __future__ import annotations

import calendar
from datetime import datetime, timedelta, timezone

from rq import Queue
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry


def enqueue_at(queue: Queue, when: datetime, func, *args, job_id: str, write=None):
    """`func(*args)` at `when`, with this id; on `write` (applied whole, or not at all) when given."""
    if write is None or not queue.is_async:
        return queue.enqueue_at(when, func, *args, job_id=job_id)
    pipe = write.pipe
    job = queue.create_job(func, args=args, job_id=job_id, status=JobStatus.SCHEDULED)
    job.save(pipeline=pipe)
    pipe.sadd(queue.redis_queues_keys, queue.key)
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    pipe.zadd(ScheduledJobRegistry(queue=queue).key, {job.id: calendar.timegm(when.utctimetuple())})
    return job


def enqueue_in(queue: Queue, delay: timedelta, func, *args, job_id: str, write=None):
    return enqueue_at(queue, datetime.now(timezone.utc) + delay, func, *args, job_id=job_id, write=write)


def unschedule(queue: Queue, job_ids: list[str], pipe) -> None:
    """Jobs that must not run after all, on `pipe` (a turn's write, or a pipeline of the caller's): out of
    the schedule and the queue, and gone, with nothing read first. A job a worker already runs finds
    the conversation moved on and does nothing (each job checks)."""
    pipe.zrem(ScheduledJobRegistry(queue=queue).key, *job_ids)
    for job_id in job_ids:
        pipe.lrem(queue.key, 0, job_id)
    pipe.delete(*(Job.key_for(job_id) for job_id in job_ids))

