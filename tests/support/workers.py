"""Real Celery worker processes for the tests that must not run tasks inline."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)
QUEUES = "default,reviews,notifications,adoption"


def test_database_url() -> str:
    """DATABASE_URL pointing at the database pytest-django made for this run."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


class WorkerProcess:
    """One ``celery worker`` subprocess on the test database and the real broker."""

    def __init__(
        self,
        *,
        name: str = "test",
        extra_env: dict[str, str] | None = None,
        concurrency: int = 1,
        include: str | None = None,
    ) -> None:
        self.name = name
        self.hostname = f"{name}-{os.getpid()}@runway-tests"
        self.extra_env = extra_env or {}
        self.concurrency = concurrency
        # Modules of tasks only tests use (e.g. ``tests.support.tasks``).
        self.include = include
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = BASE_DIR / "var" / f"worker-{name}.log"

    def start(self, *, wait: float = 45.0) -> "WorkerProcess":
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": test_database_url(),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **self.extra_env,
        }
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--hostname", self.hostname, "--queues", QUEUES,
                "--concurrency", str(self.concurrency), "--pool", "prefork",
                "--without-gossip", "--without-mingle", "--loglevel", "INFO",
                *(["--include", self.include] if self.include else []),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # A group of its own, so that kill() reaches the pool's processes too.
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early; see {self.log_path}")
            replies = celery_app.control.ping(destination=[self.hostname], timeout=0.5)
            if replies:
                return self
        self.stop()
        raise RuntimeError(f"worker did not answer within {wait}s; see {self.log_path}")

    def stop(self, *, timeout: float = 20.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL the worker's whole process group, parent and pool, as a crash would."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@contextlib.contextmanager
def queue_to_ourselves(queue: str):
    """Stop any other worker on this broker (the session's shared one) from
    taking the queue's tasks while we test, and empty the queue."""
    replies = celery_app.control.cancel_consumer(queue, reply=True, timeout=1.0) or []
    others = [hostname for reply in replies for hostname in reply]
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge(queue)
    try:
        yield
    finally:
        if others:
            celery_app.control.add_consumer(queue, destination=others, reply=True, timeout=1.0)


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.1):
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")
