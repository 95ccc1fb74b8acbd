"""The floors the API reads are held against: each the same rows by a
hand-written ``values()`` query and ``JsonResponse`` — no authentication, no
serializer, no paginator. An endpoint can hardly beat its floor; the ratio says
how much the framework and our code add to the query."""

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from applicants.models import Application
from programs.models import Benefit, Cohort, Criterion, Program
from reviews.models import Assignment, Review, Score

PAGE = 50
TICK_TABLE = "bench_tick"


def tick_table_create() -> None:
    """A table outside the app's models, for the floors that write one row."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TICK_TABLE} (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())"
        )


def tick_insert() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TICK_TABLE} DEFAULT VALUES")


def tick_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TICK_TABLE}")
        return cursor.fetchone()[0]


def program_list(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    programs = list(
        Program.objects.filter(is_published=True)
        .order_by("name", "id")
        .values("id", "slug", "name", "summary", "website")[:PAGE]
    )
    ids = [program["id"] for program in programs]
    benefits = Benefit.objects.filter(program__in=ids).values(
        "program", "name", "kind", "description", "amount", "currency", "months"
    )
    rounds = (
        Cohort.objects.filter(program__in=ids, opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at")
        .values("program", "id", "name", "slug", "opens_at", "closes_at", "decision_date")
    )
    by_program = {program.pop("id"): {**program, "benefits": [], "open_rounds": []} for program in programs}
    for benefit in benefits:
        by_program[benefit.pop("program")]["benefits"].append(benefit)
    for cohort in rounds:
        by_program[cohort.pop("program")]["open_rounds"].append(cohort)
    return JsonResponse({"results": list(by_program.values())})


def round_applications(request: HttpRequest, cohort_pk: int) -> JsonResponse:
    submitted_reviews = (
        Review.objects.filter(assignment__application=OuterRef("pk"), submitted_at__isnull=False)
        .order_by()
        .values("assignment__application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Application.objects.filter(cohort=cohort_pk, submitted_at__isnull=False)
        .annotate(review_count=Coalesce(Subquery(submitted_reviews, output_field=IntegerField()), 0))
        .order_by("-submitted_at", "-id")
        .values("id", "startup__name", "status", "is_flagged", "submitted_at", "decided_at", "review_count")[:PAGE]
    )
    return JsonResponse({"results": list(rows)})


def reviewer_queue(request: HttpRequest, reviewer_pk: int) -> JsonResponse:
    criteria_count = Subquery(
        Criterion.objects.filter(program=OuterRef("application__cohort__program"))
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    scored = Subquery(
        Score.objects.filter(review__assignment=OuterRef("pk"))
        .order_by()
        .values("review__assignment")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    rows = (
        Assignment.objects.filter(reviewer=reviewer_pk)
        .annotate(scored=Coalesce(scored, 0), criteria_count=criteria_count)
        .order_by("due_at", "id")
        .values(
            "id",
            "application",
            "application__startup__name",
            "application__cohort__program__name",
            "application__cohort__name",
            "application__cohort__program__blind_review",
            "stage",
            "due_at",
            "review__submitted_at",
            "scored",
            "criteria_count",
        )[:PAGE]
    )
    return JsonResponse({"results": list(rows)})


@csrf_exempt
@require_POST
def insert_one_row(request: HttpRequest) -> JsonResponse:
    """The floor for submitting an application: a view that writes one row."""
    tick_insert()
    return JsonResponse({"status": "ok"})
