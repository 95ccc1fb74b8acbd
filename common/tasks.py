"""Queueing a task from a request, where a broker that is down must not turn
what the request saved into an error page."""

import logging
from collections.abc import Sequence

from celery import Task
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# One quick retry, then give up: every caller has a way back (a sweeper, or a
# page telling the user to try again), and the request must not hang.
FAIL_FAST_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def task_enqueue(task: Task, *, args: Sequence[object], countdown: float | None = None) -> bool:
    """Queue ``task``; False (logged) when the broker cannot be reached."""
    try:
        task.apply_async(args=list(args), countdown=countdown, retry=True, retry_policy=FAIL_FAST_RETRY_POLICY)
    except OperationalError:
        logger.warning("Could not queue %s; the broker is unreachable", task.name, exc_info=True)
        return False
    return True
