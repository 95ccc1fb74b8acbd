import datetime
import uuid

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from applicants import services
from applicants.enums import ApplicationStatus
from applicants.models import Application
from applicants.tasks import start_review_for_closed_rounds
from tests.factories import ApplicationFactory, CohortFactory, StartupMemberFactory
from tests.support.tasks import record_backend_pid
from tests.support.workers import WorkerProcess, queue_to_ourselves, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_task_sent_through_a_real_worker_changes_a_row(celery_worker, celery_not_eager):
    member = StartupMemberFactory()
    cohort = CohortFactory()
    application = ApplicationFactory(startup=member.startup, cohort=cohort)
    services.application_submit(application=application, user=member.user)
    cohort.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    cohort.save(update_fields=["closes_at"])

    start_review_for_closed_rounds.delay()

    moved = wait_for(lambda: Application.objects.filter(pk=application.pk, status=ApplicationStatus.IN_REVIEW).first())
    assert moved.status_changes.last().reason == "The round closed."


@pytest.fixture
def pid_worker(celery_not_eager):
    """A worker of its own that runs ``record_backend_pid``, alone on the default queue."""
    with queue_to_ourselves("default"):
        worker = WorkerProcess(name="db-reuse", include="tests.support.tasks").start()
        try:
            yield worker
        finally:
            worker.stop()


def backend_pids(key: str, count: int) -> list[int]:
    client = redis.Redis.from_url(settings.REDIS_URL)
    wait_for(lambda: client.llen(key) >= count)
    return [int(pid) for pid in client.lrange(key, 0, -1)]


def test_a_worker_keeps_its_database_connection_across_tasks(pid_worker):
    key = f"runway-tests:pids:{uuid.uuid4()}"

    for _ in range(100):
        record_backend_pid.delay(key)

    assert len(set(backend_pids(key, 100))) <= 2


def test_a_worker_replaces_a_database_connection_that_was_killed(pid_worker):
    key = f"runway-tests:pids:{uuid.uuid4()}"
    record_backend_pid.delay(key)
    [first] = backend_pids(key, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [first])

    record_backend_pid.delay(key)

    assert backend_pids(key, 2)[1] != first
