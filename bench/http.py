"""The main API reads and the submission under gunicorn on PostgreSQL, each
beside its floor (bench/floors.py) served by the same server in the same run.

Runs inside the bench process, whose Django settings point at the scratch
database; the data is written with COPY because building 100,000 model
instances would measure the ORM, not the endpoints.
"""

import datetime
import io
import statistics
import time
import urllib.request

from django.db import connection, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User
from applicants.enums import ApplicationStatus
from applicants.models import Application, Startup, StartupMember
from bench.floors import tick_table_create
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
def seed(*, applications: int, queue: int, drafts: int) -> dict[str, object]:
    """A round with ``applications`` submitted applications, a manager, a
    reviewer with ``queue`` assignments and a founder with ``drafts`` drafts
    ready to submit; returns what the requests need."""
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
    founder = User.objects.create_user(email="founder@bench.test", password=None)
    own = Startup.objects.bulk_create(
        Startup(name=f"Founder startup {n}", incorporation_country="US", total_funding_usd=1, developer_count=1)
        for n in range(drafts)
    )
    StartupMember.objects.bulk_create(StartupMember(startup=startup, user=founder) for startup in own)
    draft_ids = [
        application.pk
        for application in Application.objects.bulk_create(
            Application(startup=startup, cohort=cohort, status=ApplicationStatus.DRAFT) for startup in own
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "cohort": cohort.pk,
        "reviewer": reviewer.pk,
        "drafts": draft_ids,
        "manager_token": Token.objects.create(user=manager).key,
        "reviewer_token": Token.objects.create(user=reviewer).key,
        "founder_token": Token.objects.create(user=founder).key,
    }


def post_ms(url: str, headers: dict[str, str]) -> float:
    """Milliseconds one POST took, answered 2xx (loopback only)."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("benchmarks send traffic to 127.0.0.1 only")
    request = urllib.request.Request(url, data=b"", method="POST", headers=headers)  # noqa: S310 - loopback only
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback only
        response.read()
    return (time.perf_counter() - started) * 1000


def submit(server: Gunicorn, world: dict[str, object]) -> Result:
    """Median time to submit a draft, one at a time, beside a view that inserts one row."""
    headers = {"Authorization": f"Token {world['founder_token']}"}
    times = [post_ms(f"{server.url}/api/v1/applications/{pk}/submit/", headers) for pk in world["drafts"]]
    floor = [post_ms(f"{server.url}/bench/floor/insert/", {}) for _ in world["drafts"]]
    return Result(
        "submit",
        "submit an application (median)",
        statistics.median(times),
        "ms",
        "a view inserting one row (median)",
        statistics.median(floor),
        {"requests": len(times)},
    )


def run(*, env: dict[str, str], applications: int, seconds: int, submits: int) -> list[Result]:
    tick_table_create()
    world = seed(applications=applications, queue=50, drafts=submits)
    connection.close()
    manager = {"Authorization": f"Token {world['manager_token']}"}
    reviewer = {"Authorization": f"Token {world['reviewer_token']}"}
    floor_name = "same rows by values() + JsonResponse"
    reads = [
        ("http.program_list", "program list (anonymous)", "/api/v1/programs/", "/bench/floor/programs/", {}),
        (
            "http.round_applications",
            f"round applications, 50 of {applications:,} (manager)",
            f"/api/v1/reviews/rounds/{world['cohort']}/applications/",
            f"/bench/floor/rounds/{world['cohort']}/applications/",
            manager,
        ),
        (
            "http.reviewer_queue",
            "reviewer queue, 50 assignments",
            "/api/v1/reviews/assignments/",
            f"/bench/floor/reviewers/{world['reviewer']}/assignments/",
            reviewer,
        ),
    ]
    results: list[Result] = []
    with Gunicorn(env) as server:
        for figure_id, name, path, floor_path, headers in reads:
            value = wrk(server.url + path, seconds=seconds, headers=headers)
            floor = wrk(server.url + floor_path, seconds=seconds)
            results.append(Result(figure_id, name, value, "req/s", floor_name, floor))
        results.append(submit(server, world))
    return results
