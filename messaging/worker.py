"""The worker role's RQ worker: RQ's SimpleWorker, which rides out a Redis failover instead of quitting.

RQ's worker quits on a Redis error outside its dequeue (its heartbeat, its bookkeeping around a job, its
maintenance), and a job that was running when the primary died is only found again, as abandoned, when its
timeout has passed: minutes in which an URGENT page would not go out. Here the worker waits for Redis
(the new primary, through Sentinel) and puts the interrupted job back at the front of its queue. Running a
job twice is safe: every send re-checks its outbox record (`done`) first, as RQ's own retries rely on.

It is also where a worker process gets its dependencies: built once, when RQ starts it, by the composition
root (wiring.py) from the environment; its job class hands each job its module's dependency object.
"""
from __future__ import annotations

from rq import SimpleWorker
from rq.job import Job
from rq.registry import StartedJobRegistry

from config.logs import configure_logging
from config.settings import load_settings
from messaging.redis_back import OUTAGE, when_back
from wiring import build_lantern



def worker_job_class() -> type[Job]:
    """This worker process's Lantern, built once from the environment: the job class that runs its jobs."""
    configure_logging()
    return build_lantern(load_settings()).job_class


class FailoverWorker(SimpleWorker):
    def __init__(self, *args, **kwargs) -> None:
        kwargs["job_class"] = worker_job_class()
        super().__init__(*args, **kwargs)

    def execute_job(self, job, queue) -> None:
        try:
            super().execute_job(job, queue)
        except OUTAGE:
            self.log.warning("Worker %s: Redis lost during job %s; it runs again once Redis is back",
                             self.name, job.id)
            self._when_back(lambda: self._run_again(job, queue))

    def check_for_suspension(self, burst: bool) -> None:
        self._when_back(lambda: super(FailoverWorker, self).check_for_suspension(burst))

    def run_maintenance_tasks(self) -> None:
        self._when_back(super().run_maintenance_tasks)

    def heartbeat(self, *args, **kwargs):
        return self._when_back(lambda: super(FailoverWorker, self).heartbeat(*args, **kwargs))

    def _run_again(self, job, queue) -> None:
        StartedJobRegistry(queue.name, connection=self.connection).remove_executions(job)
        queue.enqueue_job(job, at_front=True)

    def _when_back(self, action):
        """Run `action`, again after a pause each time Redis can't be reached, until it succeeds."""
        return when_back(action, self.log, f"Worker {self.name}")


def warm() -> None:
    """Compile the bot's understanding (about a second) before any worker starts; the jobs' code is already
    imported with wiring.

    Called below, when this module is imported: `rq worker-pool` imports its worker class in the pool's
    own process, so every worker it forks (and forks again when one dies) starts with it. Without it each
    worker paid that second when it started, beside the first burst's pages."""
    from bot.engine import FLOWS_DIR
    from bot.understanding import Understanding

    Understanding.load(FLOWS_DIR / "understanding.yaml", FLOWS_DIR / "danger_model.json")


warm()
