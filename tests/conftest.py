import os

import pytest
from django.db import connection

from config.celery import app as celery_app
from tests.support.workers import WorkerProcess


def pytest_collection_modifyitems(config, items):
    has_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    has_redis = os.environ.get("REDIS_URL", "").startswith(("redis://", "rediss://"))
    skip_postgres = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL")
    for item in items:
        if "postgres" in item.keywords and not has_postgres:
            item.add_marker(skip_postgres)
        if "redis" in item.keywords and not has_redis:
            item.add_marker(skip_redis)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def celery_not_eager():
    """Send tasks to the broker for real instead of running them inline."""
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real worker on Redis and the test database, shared by the session."""
    assert connection.vendor == "postgresql", "real-worker tests need PostgreSQL"
    with django_db_blocker.unblock():
        celery_app.control.purge()
        worker = WorkerProcess(name="session").start()
    yield worker
    worker.stop()
