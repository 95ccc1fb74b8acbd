"""The roll-up rebuild on real workers on Redis, one of them killed mid-way."""

import contextlib

import pytest
from django.db import connection
from django.utils import timezone

from adoption.models import UsageMonthly, UsageRecord
from adoption.rollups import REBUILD_CHUNK_SIZE, USAGE_LOCK_BASE
from adoption.tasks import rebuild_rollups
from tests.factories import AIModelFactory, StartupFactory
from tests.support.workers import WorkerProcess, queue_to_ourselves, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# The restarted worker hands out again what the dead one held after this long
# (CELERY_VISIBILITY_TIMEOUT), instead of the minutes production waits.
REDELIVERY_SECONDS = "2"


@contextlib.contextmanager
def usage_locked(startup_id: int):
    """Hold the startup's usage lock, as a long ingest would, so that a rebuild
    reaching that startup waits."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [USAGE_LOCK_BASE + startup_id])
        try:
            yield
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [USAGE_LOCK_BASE + startup_id])


def someone_waits_for_a_usage_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database())"
        )
        return cursor.fetchone()[0]


def test_a_rebuild_killed_with_its_worker_is_redone_by_the_next_worker(celery_not_eager):
    # One startup more than a transaction's chunk: the rebuild commits the
    # first chunk, then waits for the last startup's lock.
    model = AIModelFactory()
    startups = StartupFactory.create_batch(REBUILD_CHUNK_SIZE + 1)
    UsageRecord.objects.bulk_create(
        UsageRecord(
            startup=startup,
            model=model,
            date=timezone.now().date(),
            requests=7,
            input_tokens=1,
            output_tokens=1,
            updated_at=timezone.now(),
        )
        for startup in startups
    )

    with queue_to_ourselves("adoption"):
        doomed = WorkerProcess(name="rollups-doomed")
        with usage_locked(startups[-1].pk):
            doomed.start()
            try:
                rebuild_rollups.delay()
                wait_for(lambda: UsageMonthly.objects.count() == REBUILD_CHUNK_SIZE)
                wait_for(someone_waits_for_a_usage_lock)
            finally:
                doomed.kill()
        half_done = UsageMonthly.objects.count()
        restarted = WorkerProcess(
            name="rollups-restarted", extra_env={"CELERY_VISIBILITY_TIMEOUT": REDELIVERY_SECONDS}
        ).start()
        try:
            wait_for(lambda: UsageMonthly.objects.count() == len(startups), timeout=60)
        finally:
            restarted.stop()

    assert half_done == REBUILD_CHUNK_SIZE
    assert set(UsageMonthly.objects.values_list("startup_id", "requests")) == {(s.pk, 7) for s in startups}
