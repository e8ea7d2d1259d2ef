"""How the web role must be served so that Twilio's webhooks are answered whatever else is open.

gunicorn's sync workers give one request per process: a few half-sent requests, idle connections or
held chat streams take them all, and Twilio gives up after 15 s. The Procfile runs config/gunicorn.py's
ThreadWorker (gunicorn's gthread, changed): every request is read whole on the worker's poller, so a slow
or silent client holds no thread; Twilio's webhooks then run on the main thread, and the console and the
web chat on the threads, where a chat stream holds one only within `max_streams`. Plain gthread is
accepted too, where webhooks share the threads. These rules are checked before gunicorn starts.
"""
from __future__ import annotations

from config.chat import ChatConfig

# Threads per worker the Procfile gives (WEB_THREADS); below MIN_THREADS a handful of slow clients
# is enough to keep a webhook waiting.
DEFAULT_THREADS = 64
MIN_THREADS = 8
# Threads of each worker that no chat stream may take: the console's requests (and, under plain gthread,
# slow clients and Twilio's webhooks) need them.
MIN_FREE_THREADS = 16
# gunicorn's own, and config/gunicorn.py's, which also closes a connection that goes silent mid-request.
THREADED_WORKERS = ("gthread", "config.gunicorn.ThreadWorker")


class ServingError(RuntimeError):
    """The server settings would let other traffic starve Twilio's webhooks; the message names them."""


def serving_problems(worker_class: str, threads: int, chat: ChatConfig) -> list[str]:
    """Every setting that would let slow clients or chat streams keep a signed webhook waiting."""
    problems = []
    threaded = worker_class in THREADED_WORKERS and threads > 1
    if not threaded:
        problems.append(
            f"gunicorn runs '{worker_class}' workers with {threads} thread(s): the web role needs threaded "
            f"workers (--worker-class config.gunicorn.ThreadWorker --threads {DEFAULT_THREADS}, as the Procfile has), or a few "
            "slow connections keep Twilio's webhooks waiting")
        if chat.stream_seconds:
            problems.append(f"chat.yaml stream_seconds is {chat.stream_seconds}: a held chat stream would take a "
                            "whole sync worker; set it to 0, or run the Procfile's threaded workers")
        return problems
    if threads < MIN_THREADS:
        problems.append(f"gunicorn --threads (WEB_THREADS) is {threads}: at least {MIN_THREADS} are needed, "
                        f"{DEFAULT_THREADS} by default")
    if chat.stream_seconds and threads - chat.max_streams < MIN_FREE_THREADS:
        problems.append(
            f"chat.yaml max_streams is {chat.max_streams} with stream_seconds {chat.stream_seconds}, but gunicorn "
            f"--threads (WEB_THREADS) is {threads}: at least {MIN_FREE_THREADS} threads per worker must stay "
            f"free for Twilio's webhooks (raise WEB_THREADS to {chat.max_streams + MIN_FREE_THREADS}, or lower "
            "max_streams)")
    return problems


def check_serving(worker_class: str, threads: int, chat: ChatConfig) -> None:
    problems = serving_problems(worker_class, threads, chat)
    if problems:
        raise ServingError("Lantern will not start the web role: " + "; ".join(problems) + ".")
