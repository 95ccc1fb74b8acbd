"""Tasks that only the tests' workers load: ``WorkerProcess(include="tests.support.tasks")``."""

import redis
from celery import shared_task
from django.conf import settings
from django.db import connection


@shared_task(name="tests.record_backend_pid")
def record_backend_pid(key: str) -> None:
    """Append the PostgreSQL backend serving this task to the Redis list ``key``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    redis.Redis.from_url(settings.REDIS_URL).rpush(key, pid)
