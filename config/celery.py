import os

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("runway")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_broken_or_old_connections(task=None, **kwargs) -> None:
    """Around each task what Django does around each request: drop a connection
    that broke or outlived CONN_MAX_AGE, and check a kept one before its next
    use. Workers keep their connections between tasks (CELERY_DB_REUSE_MAX), so
    without this one killed connection would fail every task until recycled."""
    if task is not None and not getattr(task.request, "is_eager", False):
        close_old_connections()
