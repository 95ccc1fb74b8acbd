"""The main API reads under gunicorn on PostgreSQL, beside a bare Django JSON view.

Runs inside the bench process, whose Django settings point at the scratch
database; the data is written with COPY because building 100,000 model
instances would measure the ORM, not the endpoints.
"""

import datetime
import io

from django.db import connection, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User
from applicants.enums import ApplicationStatus
from bench.harness import Gunicorn, Result, wrk
from programs.enums import ProgramRole
from programs.models import Cohort, Criterion, Program, ProgramMembership
from reviews.models import Assignment


def copy_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if value is None else str(value) for value in row) + "\n")
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write(buffer.getvalue())


@transaction.atomic
def seed(*, applications: int, queue: int) -> dict[str, object]:
    """A round with ``applications`` submitted applications, a manager and a
    reviewer with ``queue`` assignments; returns what the requests need."""
    now = timezone.now()
    program = Program.objects.create(name="Bench program", slug="bench-program", summary="Benchmark")
    Criterion.objects.create(program=program, name="Overall")
    cohort = Cohort.objects.create(
        program=program,
        name="Bench round",
        slug="bench-round",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=30),
        capacity=100,
    )
    manager = User.objects.create_user(email="manager@bench.test", password=None)
    reviewer = User.objects.create_user(email="reviewer@bench.test", password=None)
    ProgramMembership.objects.create(program=program, user=manager, role=ProgramRole.MANAGER)
    ProgramMembership.objects.create(program=program, user=reviewer, role=ProgramRole.REVIEWER)

    stamp = now.isoformat()
    copy_rows(
        "applicants_startup",
        ["name", "website", "description", "country", "incorporation_country", "total_funding_usd",
         "developer_count", "created_at", "updated_at"],
        [(f"Startup {n}", f"https://s{n}.test", "", "US", "US", 1_000_000, 3, stamp, stamp)
         for n in range(applications)],
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM applicants_startup WHERE name LIKE 'Startup %%' ORDER BY id")
        startup_ids = [row[0] for row in cursor.fetchall()]
    copy_rows(
        "applicants_application",
        ["startup_id", "cohort_id", "status", "answers", "eligibility", "is_flagged", "created_at", "updated_at",
         "submitted_at"],
        [(startup_id, cohort.pk, ApplicationStatus.SUBMITTED, "{}", "{}", "f", stamp, stamp, stamp)
         for startup_id in startup_ids],
    )  # fmt: skip
    first = list(cohort.applications.order_by("id").values_list("id", flat=True)[:queue])
    Assignment.objects.bulk_create(
        Assignment(application_id=pk, reviewer=reviewer, due_at=now + datetime.timedelta(days=14)) for pk in first
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "cohort": cohort.pk,
        "manager_token": Token.objects.create(user=manager).key,
        "reviewer_token": Token.objects.create(user=reviewer).key,
    }


def run(*, env: dict[str, str], applications: int, seconds: int) -> list[Result]:
    world = seed(applications=applications, queue=50)
    connection.close()
    results: list[Result] = []
    with Gunicorn(env) as server:
        bare = wrk(f"{server.url}/bench/bare/", seconds=seconds)
        floor = "bare Django JSON view"
        results.append(Result("HTTP bare Django JSON view (the floor)", bare, "req/s", floor, bare))
        endpoints = [
            ("HTTP program list (anonymous)", "/api/v1/programs/", {}),
            (
                f"HTTP round applications, 50 of {applications:,}",
                f"/api/v1/reviews/rounds/{world['cohort']}/applications/",
                {"Authorization": f"Token {world['manager_token']}"},
            ),
            (
                "HTTP reviewer queue (50 assignments)",
                "/api/v1/reviews/assignments/",
                {"Authorization": f"Token {world['reviewer_token']}"},
            ),
        ]
        for name, path, headers in endpoints:
            value = wrk(server.url + path, seconds=seconds, headers=headers)
            results.append(Result(name, value, "req/s", floor, bare))
    return results
