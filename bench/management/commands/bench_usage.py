"""Benchmark usage ingest and the manager dashboard on PostgreSQL.

1. Ingest ``--records`` records through the API path: POST /api/v1/usage/ with
   an API key, through Django's whole stack (middleware, authentication, orjson,
   validation, COPY upsert, roll-ups) via the test client.
2. Upsert as many records into the same table with raw psycopg: COPY into a
   temporary table and INSERT … ON CONFLICT, no validation, no roll-ups — the floor.
3. Fill the table to ``--dashboard-rows`` rows with COPY, rebuild the roll-ups,
   and time the program manager's dashboard (which reads roll-ups) beside the
   same numbers computed straight from raw usage with a GROUP BY.

Run it against a scratch database: it creates a "bench" program with its own
startups and deletes them at the end (unless ``--keep``).
"""

import datetime
import io
import json
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tqdm import tqdm

from accounts.models import User
from adoption import services
from adoption.catalog import seed_catalog
from adoption.models import AIModel, UsageMonthly, UsageRecord
from adoption.rollups import rollups_rebuild
from adoption.selectors import dashboard_window
from applicants.enums import ApplicationStatus
from applicants.models import Application, Startup
from applicants.services import application_transition
from programs.models import Cohort, Program

BENCH_SLUG = "bench-usage"
# The dashboard reads a program of its own, so that the rows under it are the
# ones it was asked to read, whatever the ingest wrote into the same table.
DASHBOARD_SLUG = "bench-usage-dashboard"


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


class Command(BaseCommand):
    help = "Benchmark usage ingest (API path against raw COPY upsert) and the dashboard over many usage rows."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--records", type=int, default=1_000_000, help="Records for each ingest path.")
        parser.add_argument(
            "--dashboard-rows",
            type=int,
            nargs=2,
            default=[1_000_000, 10_000_000],
            metavar=("SMALL", "LARGE"),
            help="Usage rows under the dashboard: measured at the first size, then grown to the second.",
        )
        parser.add_argument("--batch-size", type=int, default=10_000)
        parser.add_argument("--days", type=int, default=3650, help="Days of history per startup and model.")
        parser.add_argument("--repeat", type=int, default=5, help="Dashboard requests to take the median of.")
        parser.add_argument("--keep", action="store_true", help="Leave the bench data in the database.")
        parser.add_argument("--json", help="Also write the figures to this file, for make bench.")

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark compares against a raw PostgreSQL COPY: set DATABASE_URL to PostgreSQL.")
        self.quiet = options["verbosity"] == 0
        self.batch = options["batch_size"]
        self.days = options["days"]
        seed_catalog(AIModel)
        self.models = list(AIModel.objects.filter(is_active=True).values_list("id", "slug"))
        self.per_startup = len(self.models) * self.days
        self.today = timezone.now().date()
        self.dates = [self.today - datetime.timedelta(days=n) for n in range(self.days)]
        self.program, self.cohort = self.bench_program(BENCH_SLUG)
        self.dashboard_program, self.dashboard_cohort = self.bench_program(DASHBOARD_SLUG)
        self.startup_ids: list[int] = []
        self.dashboard_ids: list[int] = []
        try:
            api_rate = self.bench_api(options["records"])
            raw_rate = self.bench_raw(options["records"])
            small, large = sorted(options["dashboard_rows"])
            dashboards = [self.bench_dashboard(rows, options["repeat"]) for rows in (small, large)]
        finally:
            if not options["keep"]:
                self.clean_up()
        self.stdout.write("")
        self.stdout.write(f"API path      {api_rate:>12,.0f} records/s  ({options['records']:,} records)")
        self.stdout.write(f"raw COPY      {raw_rate:>12,.0f} records/s")
        self.stdout.write(f"ratio         {api_rate / raw_rate:>12.2f}  (API path / raw COPY upsert)")
        for rows, page_ms, raw_ms in dashboards:
            self.stdout.write(f"dashboard     {page_ms:>12.1f} ms median over {rows:,} usage rows (reads roll-ups)")
            self.stdout.write(f"raw GROUP BY  {raw_ms:>12.1f} ms for the same figures from raw usage")
        if options["json"]:
            (small_rows, small_ms, small_raw), (large_rows, large_ms, large_raw) = dashboards
            figures = [
                {
                    "id": "ingest",
                    "name": "usage ingest through the API path",
                    "value": api_rate,
                    "unit": "records/s",
                    "floor_name": "raw psycopg COPY + ON CONFLICT upsert",
                    "floor_value": raw_rate,
                },
                {
                    "id": "dashboard.1m",
                    "name": f"manager dashboard over {small_rows:,} usage rows",
                    "value": small_ms,
                    "unit": "ms",
                    "floor_name": "same figures by GROUP BY on raw rows",
                    "floor_value": small_raw,
                },
                {
                    # Its floor is the same page at the smaller size: the ratio
                    # says how much the page slows as usage grows tenfold.
                    "id": "dashboard.10m",
                    "name": f"manager dashboard over {large_rows:,} usage rows",
                    "value": large_ms,
                    "unit": "ms",
                    "floor_name": f"the same page over {small_rows:,} rows",
                    "floor_value": small_ms,
                    "notes": {"raw_group_by_ms": large_raw},
                },
            ]
            Path(options["json"]).write_text(json.dumps(figures, indent=2))

    # --- Setup ----------------------------------------------------------------------

    def bench_program(self, slug: str) -> tuple[Program, Cohort]:
        program, _ = Program.objects.get_or_create(
            slug=slug, defaults={"name": "Bench program", "summary": "Benchmark data", "is_published": False}
        )
        now = timezone.now()
        cohort, _ = Cohort.objects.get_or_create(
            program=program,
            slug="bench",
            defaults={
                "name": "Bench round",
                "opens_at": now - datetime.timedelta(days=60),
                "closes_at": now - datetime.timedelta(days=30),
                "capacity": 100_000,
            },
        )
        return program, cohort

    def accepted_startups(self, count: int, label: str, cohort: Cohort | None = None) -> list[Startup]:
        startups = []
        for _ in range(count):
            startup = Startup.objects.create(
                name=f"Bench {label} {len(self.startup_ids) + 1}",
                incorporation_country="US",
                total_funding_usd=1,
                developer_count=1,
            )
            self.startup_ids.append(startup.pk)
            application = Application.objects.create(startup=startup, cohort=cohort or self.cohort)
            for status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW, ApplicationStatus.ACCEPTED):
                application_transition(application=application, to_status=status, actor=None)
            startups.append(startup)
        return startups

    def keys(self, total: int) -> Iterator[tuple[int, datetime.date]]:
        """(model index, day) pairs, distinct within one startup."""
        for index in range(total):
            yield index % len(self.models), self.dates[(index // len(self.models)) % self.days]

    def startups_for(self, records: int) -> int:
        return max(1, -(-records // self.per_startup))

    # --- 1. The API path ------------------------------------------------------------------

    def bench_api(self, records: int) -> float:
        startups = self.accepted_startups(self.startups_for(records), "API")
        client = Client(SERVER_NAME="localhost")
        url = reverse("adoption-api:usage")
        elapsed = 0.0
        with tqdm(total=records, unit="rec", desc="API path", disable=self.quiet) as bar:
            for number, startup in enumerate(startups):
                _, key = services.api_key_create(startup=startup, user=None, name="bench")
                headers = {"Authorization": f"Api-Key {key}"}
                share = min(self.per_startup, records - number * self.per_startup)
                pairs = list(self.keys(share))
                for start in range(0, share, self.batch):
                    body = orjson.dumps(
                        [
                            {
                                "model": self.models[m][1],
                                "date": day.isoformat(),
                                "requests": 10 + i % 7,
                                "input_tokens": 1000 + i,
                                "output_tokens": 300 + i,
                            }
                            for i, (m, day) in enumerate(pairs[start : start + self.batch], start)
                        ]
                    )
                    seconds, response = timed(
                        client.post, url, data=body, content_type="application/json", headers=headers
                    )
                    if response.status_code != 200 or response.json()["rejected"]:
                        raise CommandError(
                            f"The API refused a batch: {response.status_code} {response.content[:300]!r}"
                        )
                    elapsed += seconds
                    bar.update(response.json()["received"])
        return records / elapsed

    # --- 2. Raw psycopg -------------------------------------------------------------------------

    def bench_raw(self, records: int) -> float:
        startups = self.accepted_startups(self.startups_for(records), "raw")
        table = UsageRecord._meta.db_table
        elapsed = 0.0
        with tqdm(total=records, unit="rec", desc="raw COPY", disable=self.quiet) as bar:
            for number, startup in enumerate(startups):
                share = min(self.per_startup, records - number * self.per_startup)
                pairs = list(self.keys(share))
                for start in range(0, share, self.batch):
                    rows = [
                        (self.models[m][0], day, 10 + i % 7, 1000 + i, 300 + i)
                        for i, (m, day) in enumerate(pairs[start : start + self.batch], start)
                    ]
                    started = time.perf_counter()
                    # Django's connection, but raw psycopg on it: the same table and
                    # transaction handling, none of Django's or our code per record.
                    with transaction.atomic(), connection.cursor() as wrapper:
                        cursor = wrapper.cursor
                        cursor.execute(
                            "CREATE TEMPORARY TABLE IF NOT EXISTS bench_stage (model_id bigint, date date, "
                            "requests bigint, input_tokens bigint, output_tokens bigint) ON COMMIT DELETE ROWS"
                        )
                        with cursor.copy("COPY bench_stage FROM STDIN") as copy:
                            for row in rows:
                                copy.write_row(row)
                        cursor.execute(
                            f"INSERT INTO {table} (startup_id, model_id, date, requests, input_tokens, output_tokens, "
                            "updated_at) SELECT %s, model_id, date, requests, input_tokens, output_tokens, now() "
                            "FROM bench_stage ON CONFLICT (startup_id, model_id, date) DO UPDATE SET "
                            "requests = EXCLUDED.requests, input_tokens = EXCLUDED.input_tokens, "
                            "output_tokens = EXCLUDED.output_tokens, updated_at = EXCLUDED.updated_at",
                            [startup.pk],
                        )
                    elapsed += time.perf_counter() - started
                    bar.update(len(rows))
        return records / elapsed

    # --- 3. The dashboard over many rows ------------------------------------------------------------

    def bench_dashboard(self, target_rows: int, repeat: int) -> tuple[int, float, float]:
        table = UsageRecord._meta.db_table
        existing = UsageRecord.objects.filter(startup_id__in=self.dashboard_ids).count()
        missing = max(0, target_rows - existing)
        startups = (
            self.accepted_startups(self.startups_for(missing), "dashboard", self.dashboard_cohort) if missing else []
        )
        self.dashboard_ids += [startup.pk for startup in startups]
        with tqdm(total=missing, unit="row", desc="COPY usage rows", disable=self.quiet) as bar:
            left = missing
            for startup in startups:
                share = min(self.per_startup, left)
                left -= share
                columns = "startup_id, model_id, date, requests, input_tokens, output_tokens, updated_at"
                with (
                    transaction.atomic(),
                    connection.cursor() as wrapper,
                    wrapper.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
                ):
                    buffer = io.StringIO()
                    stamp = timezone.now().isoformat()
                    for i, (m, day) in enumerate(self.keys(share)):
                        buffer.write(
                            f"{startup.pk}\t{self.models[m][0]}\t{day.isoformat()}\t{i % 50}\t{i * 7 % 100000}\t"
                            f"{i * 3 % 50000}\t{stamp}\n"
                        )
                        if i % 50_000 == 49_999:
                            copy.write(buffer.getvalue())
                            buffer = io.StringIO()
                    copy.write(buffer.getvalue())
                bar.update(share)
        with tqdm(total=len(self.dashboard_ids), unit="startup", desc="Roll-ups", disable=self.quiet) as bar:
            rollups_rebuild(startup_ids=self.dashboard_ids, progress=bar.update)
        with connection.cursor() as cursor:
            # What autovacuum would have done by now on a real database.
            cursor.execute("ANALYZE")
        rows = UsageRecord.objects.filter(startup_id__in=self.dashboard_ids).count()

        user, _ = User.objects.get_or_create(email="bench@runway.local", defaults={"is_staff": True})
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        url = reverse("adoption:manager-dashboard", kwargs={"slug": self.dashboard_program.slug})
        client.get(url)  # warm caches and the connection
        page_times = []
        for _ in range(repeat):
            seconds, response = timed(client.get, url)
            if response.status_code != 200:
                raise CommandError(f"The dashboard answered {response.status_code}.")
            page_times.append(seconds * 1000)
        raw_times = []
        for _ in range(max(1, repeat // 2)):
            seconds, _ = timed(self.raw_group_by)
            raw_times.append(seconds * 1000)
        return rows, statistics.median(page_times), statistics.median(raw_times)

    def raw_group_by(self) -> list:
        """What the dashboard's tokens-per-model and active-startups figures (same 12 months) cost from raw rows."""
        accepted = Application.objects.filter(cohort__program=self.dashboard_program, status=ApplicationStatus.ACCEPTED)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT model_id, date_trunc('month', date) AS month, count(DISTINCT startup_id), "
                f"sum(input_tokens + output_tokens) FROM {UsageRecord._meta.db_table} "
                f"WHERE startup_id IN (SELECT startup_id FROM {Application._meta.db_table} WHERE id = ANY(%s)) "
                "AND date >= %s GROUP BY 1, 2",
                [list(accepted.values_list("id", flat=True)), dashboard_window(12)],
            )
            return cursor.fetchall()

    # --- Clean-up ------------------------------------------------------------------------------------

    def clean_up(self) -> None:
        with tqdm(total=3, desc="Cleaning up", disable=self.quiet) as bar, transaction.atomic():
            with connection.cursor() as cursor:
                # Straight SQL: the ORM would load millions of rows to delete them.
                cursor.execute(
                    f"DELETE FROM {UsageRecord._meta.db_table} WHERE startup_id = ANY(%s)",
                    [self.startup_ids],
                )
            bar.update()
            UsageMonthly.objects.filter(startup_id__in=self.startup_ids).delete()
            Startup.objects.filter(pk__in=self.startup_ids).delete()
            bar.update()
            for program in (self.program, self.dashboard_program):
                Cohort.objects.filter(program=program).delete()
                program.delete()
            User.objects.filter(email="bench@runway.local").delete()
            bar.update()
