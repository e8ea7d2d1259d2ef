"""The RQ job class of the line: each job function gets its module's dependency object first.

A job is enqueued with ids only (`queue.enqueue(send_message, outbound_id)`): RQ keeps the function's name
and the ids, never an object. Whoever runs jobs builds the dependency objects once for its process (the web
process for inline jobs, in wiring.py; each RQ worker, in messaging/worker.py) and runs them with
`bound_job_class(dependencies)`, which calls `send_message(jobs, outbound_id)` with that module's `SendJobs`.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Mapping

from rq.job import Job


class JobDependenciesMissing(LookupError):
    """A job of a module nobody built dependencies for: a programming error, named with the module."""


class LanternJob(Job):
    # The module of each job function -> the dependency object its jobs take; set on the bound subclass.
    dependencies: Mapping[str, object] = {}

    @property
    def func(self) -> Callable[..., Any] | None:
        func = super().func
        if func is None:
            return func
        try:
            needs = self.dependencies[func.__module__]
        except KeyError:
            raise JobDependenciesMissing(f"no dependencies for the jobs of {func.__module__}") from None
        return functools.partial(func, needs)


def bound_job_class(dependencies: Mapping[str, object]) -> type[LanternJob]:
    """A job class whose jobs run with these dependency objects (one per job module, by module name)."""
    return type("LanternJob", (LanternJob,), {"dependencies": dependencies})
