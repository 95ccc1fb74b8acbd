"""Point this process's Celery producer at a broker, or at nothing, for a while."""

import contextlib

from config.celery import app as celery_app
from tests.support.workers import queue_to_ourselves

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _reset_pools() -> None:
    # kombu keeps one pool per broker URL; dropping the app's references makes
    # it fetch the pool of the URL now configured (the original one stays open).
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def broker_unreachable():
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = UNREACHABLE
    _reset_pools()
    try:
        yield
    finally:
        celery_app.conf.broker_url = original
        _reset_pools()


def notifications_queue_to_ourselves():
    """Stop any other worker on this broker (the session's shared worker sends
    e-mail to the console) from taking notification tasks while we test."""
    return queue_to_ourselves("notifications")
