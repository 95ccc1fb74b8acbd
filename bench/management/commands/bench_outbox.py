"""Send N outbox messages through real Celery workers to a local SMTP sink and
compare the rate with a bare smtplib loop to the same sink.

Needs a broker the workers can share (Redis, or the filesystem default) and a
database they can reach; the command starts and stops its own workers, which
consume only the ``notifications`` queue. Its messages are deleted at the end.
"""

import json
import logging
import os
import smtplib
import socket
import subprocess
import sys
import threading
import time
import uuid
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from tqdm import tqdm

from bench.floors import tick_count, tick_table_create
from bench.tasks import touch_database
from config.celery import app as celery_app
from outbox import services
from outbox.enums import MessageStatus
from outbox.models import OutboxMessage
from outbox.tasks import send_messages


class CountingSink:
    """Accepts every message and only counts them, so the sink costs the same
    for both measurements."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self._lock:
            self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """A DATABASE_URL for the workers naming the database this process uses
    (under pytest, the test database)."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    if connection.vendor != "postgresql":
        raise CommandError(f"bench_outbox supports PostgreSQL and SQLite, not {connection.vendor}")
    credentials = quote(params["USER"] or "")
    if params.get("PASSWORD"):
        credentials += ":" + quote(params["PASSWORD"])
    host = params.get("HOST") or "localhost"
    port = params.get("PORT") or "5432"
    return f"postgres://{credentials}@{host}:{port}/{params['NAME']}"


class Command(BaseCommand):
    help = "Benchmark the outbox: messages/second through the workers beside a bare smtplib loop, as a ratio."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--messages", type=int, default=5000)
        parser.add_argument("--workers", type=int, default=2, help="worker processes (one pool process each)")
        parser.add_argument("--timeout", type=float, default=600.0, help="give up after this many seconds")
        parser.add_argument("--json", help="Also write the figures to this file, for make bench.")

    def handle(self, *args, messages: int, workers: int, timeout: float, **options) -> None:
        quiet = options["verbosity"] == 0
        # aiosmtpd logs every SMTP command; at 5,000 messages that would measure logging.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        sink = CountingSink()
        controller = Controller(sink, hostname="127.0.0.1", port=free_port())
        controller.start()
        run = uuid.uuid4().hex[:8]
        processes: list[subprocess.Popen[bytes]] = []
        try:
            processes = self.start_workers(count=workers, smtp_port=controller.port, run=run)
            ids = self.create_messages(count=messages, run=run)
            through_workers = self.send_through_workers(ids=ids, sink=sink, timeout=timeout, quiet=quiet)
            sink.count = 0
            bare = self.send_with_smtplib(count=messages, port=controller.port)
            sink.count = 0
            task_ids = self.create_messages(count=messages, run=f"{run}-tasks")
            tasks = self.one_task_each(ids=task_ids, timeout=timeout)
            noop = self.noop_tasks(count=messages, timeout=timeout)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
            controller.stop()
            OutboxMessage.objects.filter(dedup_key__startswith=f"bench:{run}").delete()
        self.stdout.write(f"messages:            {messages}")
        self.stdout.write(f"outbox via workers:  {through_workers:,.0f} msgs/s ({workers} worker(s))")
        self.stdout.write(f"bare smtplib loop:   {bare:,.0f} msgs/s (one connection)")
        self.stdout.write(f"ratio:               {through_workers / bare:.2f}")
        self.stdout.write(f"send_messages:       {tasks:,.0f} tasks/s (one message each)")
        self.stdout.write(f"no-op database task: {noop:,.0f} tasks/s")
        if options.get("json"):
            figures = [
                {
                    "id": "outbox",
                    "name": f"outbox e-mail through {workers} worker(s)",
                    "value": through_workers,
                    "unit": "msgs/s",
                    "floor_name": "bare smtplib loop, one connection",
                    "floor_value": bare,
                },
                {
                    "id": "celery.db_task",
                    "name": f"send_messages, one message a task, {workers} worker(s)",
                    "value": tasks,
                    "unit": "tasks/s",
                    "floor_name": "no-op task writing one row, kept connection",
                    "floor_value": noop,
                },
            ]
            Path(options["json"]).write_text(json.dumps(figures, indent=2))

    def start_workers(self, *, count: int, smtp_port: int, run: str) -> list[subprocess.Popen[bytes]]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local"),
            "DATABASE_URL": database_url(),
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "CELERY_DB_REUSE_MAX": "1000",
            "CELERY_TASK_ALWAYS_EAGER": "false",
        }
        log_dir = Path(settings.VAR_DIR)
        log_dir.mkdir(parents=True, exist_ok=True)
        hostnames = [f"bench-{run}-{index}@%h" for index in range(count)]
        processes = []
        for index, hostname in enumerate(hostnames):
            log = (log_dir / f"bench-worker-{index}.log").open("wb")
            command = [
                sys.executable, "-m", "celery", "-A", "config", "worker", "--queues", "notifications",
                "--hostname", hostname, "--concurrency", "1", "--pool", "prefork",
                "--without-gossip", "--without-mingle", "--loglevel", "WARNING",
            ]  # fmt: skip
            processes.append(
                subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
            )
        expected = {hostname.replace("%h", socket.gethostname()) for hostname in hostnames}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if any(process.poll() is not None for process in processes):
                raise CommandError(f"a worker exited early; see {log_dir}/bench-worker-*.log")
            answered = {name for reply in celery_app.control.ping(timeout=0.5) for name in reply}
            if expected <= answered:
                return processes
        raise CommandError("the workers did not start within 60 s")

    def create_messages(self, *, count: int, run: str) -> list[int]:
        now = timezone.now()
        OutboxMessage.objects.bulk_create(
            [
                OutboxMessage(
                    event="application_submitted",
                    dedup_key=f"bench:{run}:{index}",
                    to_email=f"bench{index}@example.com",
                    subject=f"Benchmark message {index}",
                    body="Hello,\n\nThis is a benchmark message from Runway's outbox.\n",
                    language="en",
                    next_attempt_at=now,
                )
                for index in range(count)
            ],
            batch_size=1000,
        )
        return list(
            OutboxMessage.objects.filter(dedup_key__startswith=f"bench:{run}:")
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    def send_through_workers(self, *, ids: list[int], sink: CountingSink, timeout: float, quiet: bool) -> float:
        sent = OutboxMessage.objects.filter(pk__in=ids, status=MessageStatus.SENT)
        started = time.perf_counter()
        if not services.messages_enqueue(ids=ids):
            raise CommandError("could not queue the messages: is the broker up?")
        with tqdm(total=len(ids), desc="Sending", unit="msg", disable=quiet) as bar:
            done = 0
            while done < len(ids):
                if time.perf_counter() - started > timeout:
                    raise CommandError(f"only {done} of {len(ids)} messages were sent within {timeout:.0f} s")
                time.sleep(0.05)
                now_done = min(sink.count, len(ids))
                bar.update(now_done - done)
                done = now_done
            # The last rows are marked sent just after the sink has them.
            while sent.count() < len(ids):
                if time.perf_counter() - started > timeout:
                    raise CommandError("the sink has every message but some are not marked sent")
                time.sleep(0.02)
        return len(ids) / (time.perf_counter() - started)

    def one_task_each(self, *, ids: list[int], timeout: float) -> float:
        """Tasks per second when every ``send_messages`` task carries one message."""
        sent = OutboxMessage.objects.filter(pk__in=ids, status=MessageStatus.SENT)
        started = time.perf_counter()
        for pk in ids:
            send_messages.apply_async(args=[[pk]])
        while sent.count() < len(ids):
            if time.perf_counter() - started > timeout:
                raise CommandError(f"send_messages: not every task ran within {timeout:.0f} s")
            time.sleep(0.02)
        return len(ids) / (time.perf_counter() - started)

    def noop_tasks(self, *, count: int, timeout: float) -> float:
        """Tasks per second through the same workers and queue for a task that only writes one row."""
        tick_table_create()
        before = tick_count()
        started = time.perf_counter()
        for _ in range(count):
            touch_database.apply_async(queue="notifications")
        while tick_count() - before < count:
            if time.perf_counter() - started > timeout:
                raise CommandError(f"no-op tasks: not every task ran within {timeout:.0f} s")
            time.sleep(0.02)
        return count / (time.perf_counter() - started)

    def send_with_smtplib(self, *, count: int, port: int) -> float:
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            for index in range(count):
                message = EmailMessage()
                message["Subject"] = f"Benchmark message {index}"
                message["From"] = settings.DEFAULT_FROM_EMAIL
                message["To"] = f"bench{index}@example.com"
                message.set_content("Hello,\n\nThis is a benchmark message from Runway's outbox.\n")
                smtp.send_message(message)
        return count / (time.perf_counter() - started)
