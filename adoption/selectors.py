"""Reads for adoption. Dashboards read the monthly roll-ups, never raw usage."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from adoption.dates import add_months, month_start
from adoption.enums import ACTIVE_STAGES, DisbursementStatus
from adoption.models import (
    AIModel,
    ApiKey,
    CheckIn,
    Deployment,
    Disbursement,
    Milestone,
    UsageMonthly,
    UsageRecord,
)
from applicants.enums import ApplicationStatus
from applicants.models import Application, Startup
from common.tokens import hash_token
from programs.models import Program
from reviews.selectors import review_mean_by_application


def _accepted(startup_ref: str = "pk") -> Exists:
    return Exists(Application.objects.filter(startup_id=OuterRef(startup_ref), status=ApplicationStatus.ACCEPTED))


# --- Startups and programs the user reaches --------------------------------


def startup_list_for_adoption(*, user: User) -> QuerySet[Startup]:
    """The user's startups that have an accepted application."""
    if not user.is_authenticated:
        return Startup.objects.none()
    return Startup.objects.filter(memberships__user=user).filter(_accepted()).order_by("name")


def startup_get_for_adoption(*, user: User, pk: int) -> Startup:
    """The startup if ``user`` is a member and it was accepted, else 404 (one query)."""
    return get_object_or_404(startup_list_for_adoption(user=user), pk=pk)


# --- Catalog, deployments, keys ----------------------------------------------


def aimodel_list_active() -> QuerySet[AIModel]:
    return AIModel.objects.filter(is_active=True)


def deployment_list(*, startup: Startup) -> QuerySet[Deployment]:
    return Deployment.objects.filter(startup=startup).select_related("model").order_by("model__order", "id")


def deployment_list_for_user(*, user: User) -> QuerySet[Deployment]:
    return (
        Deployment.objects.filter(startup__in=startup_list_for_adoption(user=user))
        .select_related("model", "startup")
        .order_by("startup__name", "model__order", "id")
    )


def deployment_get(*, startup: Startup, pk: int) -> Deployment:
    return get_object_or_404(deployment_list(startup=startup), pk=pk)


def api_key_list(*, startup: Startup) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(startup=startup).select_related("created_by").order_by("revoked_at", "-created_at")


def api_key_get(*, startup: Startup, pk: int) -> ApiKey:
    return get_object_or_404(ApiKey.objects.filter(startup=startup), pk=pk)


def api_key_get_active(*, key: str) -> ApiKey | None:
    """The unrevoked key with this value, its startup and whether that startup
    is accepted, in one query. Looked up by hash: no comparison of secrets."""
    if not key.startswith(ApiKey.PREFIX) or len(key) > 200:
        return None
    return (
        ApiKey.objects.active()
        .select_related("startup")
        .annotate(startup_accepted=_accepted("startup_id"))
        .filter(key_hash=hash_token(key))
        .first()
    )


# --- Usage ---------------------------------------------------------------------


def usage_list(*, startup: Startup) -> QuerySet[UsageRecord]:
    return UsageRecord.objects.filter(startup=startup).select_related("model").order_by("-date", "model__order")


def usage_month_list(*, startup: Startup, since: datetime.date | None = None) -> QuerySet[UsageMonthly]:
    queryset = UsageMonthly.objects.filter(startup=startup)
    if since:
        queryset = queryset.filter(month__gte=since)
    return queryset.select_related("model").order_by("month", "model__order")


def dashboard_window(months: int) -> datetime.date:
    """The first month a dashboard covers: the last ``months`` months, this one included.
    Bounding it keeps the roll-up rows read independent of a program's age."""
    return add_months(month_start(timezone.now().date()), -(months - 1))


# --- Check-ins, milestones, payments ---------------------------------------------


def checkin_list(*, startup: Startup) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(startup=startup).select_related("submitted_by").order_by("month")


def checkin_get(*, startup: Startup, pk: int) -> CheckIn:
    return get_object_or_404(CheckIn.objects.filter(startup=startup), pk=pk)


def milestone_list(*, startup: Startup) -> QuerySet[Milestone]:
    return Milestone.objects.filter(startup=startup).order_by("due_on", "id")


def milestone_get(*, startup: Startup, pk: int) -> Milestone:
    return get_object_or_404(Milestone.objects.filter(startup=startup), pk=pk)


def disbursement_list_for_startup(*, startup: Startup) -> QuerySet[Disbursement]:
    return (
        Disbursement.objects.filter(startup=startup)
        .select_related("program", "benefit")
        .order_by("program__name", "month", "id")
    )


def disbursement_list_for_program(*, program: Program, status: str | None = None) -> QuerySet[Disbursement]:
    """A program's payments, each annotated with whether usage was reported for its month."""
    queryset = Disbursement.objects.filter(program=program)
    if status:
        queryset = queryset.filter(status=status)
    reported = UsageMonthly.objects.filter(
        startup_id=OuterRef("startup_id"), month=OuterRef("month"), days_reported__gt=0
    )
    return (
        queryset.select_related("startup", "benefit", "approved_by", "paid_by")
        .annotate(usage_reported=Exists(reported))
        .order_by("month", "startup__name", "id")
    )


def disbursement_get_for_program(*, program: Program, pk: int) -> Disbursement:
    return get_object_or_404(Disbursement.objects.filter(program=program).select_related("program"), pk=pk)


def disbursement_totals(queryset: QuerySet[Disbursement]) -> dict[str, Decimal]:
    """Amounts by status (and the schedule's total) over ``queryset``, in one query."""
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))
    sums = {
        status: Coalesce(Sum("amount", filter=Q(status=status)), zero)
        for status in (DisbursementStatus.SCHEDULED, DisbursementStatus.APPROVED, DisbursementStatus.PAID)
    }
    row = queryset.order_by().aggregate(
        total=Coalesce(Sum("amount", filter=~Q(status=DisbursementStatus.CANCELLED)), zero), **sums
    )
    return {key: value or Decimal(0) for key, value in row.items()}


def disbursement_totals_by_startup(*, program: Program) -> list[dict[str, object]]:
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))
    return list(
        Disbursement.objects.filter(program=program)  # type: ignore[arg-type]
        .exclude(status=DisbursementStatus.CANCELLED)
        .values("startup_id", startup_name=F("startup__name"))
        .annotate(
            total=Sum("amount"),
            paid=Coalesce(Sum("amount", filter=Q(status=DisbursementStatus.PAID)), zero),
            approved=Coalesce(Sum("amount", filter=Q(status=DisbursementStatus.APPROVED)), zero),
        )
        .order_by("startup__name")
    )


# --- Review scores ---------------------------------------------------------


def review_scores_for_applications(application_ids: list[int]) -> dict[int, float | None]:
    """Each accepted application's mean review score (the weighted mean of its
    submitted reviews), for the "does the rubric predict adoption?" chart."""
    if not application_ids:
        return {}
    return review_mean_by_application(application_ids=application_ids)


# --- Dashboards ----------------------------------------------------------------------


@dataclass
class StartupDashboard:
    months: list[datetime.date]
    # model name → tokens (input + output) per month, aligned with ``months``
    tokens_by_model: dict[str, list[int]]
    requests_total: int
    tokens_total: int
    deployments: list[Deployment]


def startup_dashboard(*, startup: Startup, months: int = 12) -> StartupDashboard:
    """Usage per model over the last ``months`` months and the deployments: two queries."""
    rows = list(usage_month_list(startup=startup, since=dashboard_window(months)))
    deployments = list(deployment_list(startup=startup))
    if rows:
        last = max(row.month for row in rows)
        first = max(min(row.month for row in rows), add_months(last, -(months - 1)))
        axis = []
        current = first
        while current <= last:
            axis.append(current)
            current = add_months(current, 1)
    else:
        axis = []
    position = {month: index for index, month in enumerate(axis)}
    series: dict[str, list[int]] = {}
    requests_total = tokens_total = 0
    for row in rows:
        requests_total += row.requests
        tokens_total += row.total_tokens
        if row.month in position:
            series.setdefault(row.model.name, [0] * len(axis))[position[row.month]] += row.total_tokens
    return StartupDashboard(axis, series, requests_total, tokens_total, deployments)


@dataclass
class RoundAdoption:
    name: str
    accepted: int = 0
    deployed: int = 0
    in_production: int = 0
    reporting: int = 0


@dataclass
class AcceptedStartup:
    application_id: int
    startup_name: str
    round_name: str
    deployed: bool
    in_production: bool
    tokens: int
    score: float | None


@dataclass
class ProgramDashboard:
    accepted: int
    deployed: int
    in_production: int
    active_by_month: list[tuple[datetime.date, int]]
    tokens_by_model: list[tuple[str, int]]
    rounds: list[RoundAdoption]
    startups: list[AcceptedStartup] = field(default_factory=list)

    @property
    def has_scores(self) -> bool:
        return any(startup.score is not None for startup in self.startups)


def program_dashboard(*, program: Program, months: int = 12) -> ProgramDashboard:
    """The manager's view of one program over the last ``months`` months, from the roll-ups: three queries
    whatever the number of startups or usage rows (plus the score hook's)."""
    accepted = Application.objects.filter(cohort__program=program, status=ApplicationStatus.ACCEPTED)
    deployments = Deployment.objects.filter(startup_id=OuterRef("startup_id"))
    since = dashboard_window(months)
    tokens = (
        UsageMonthly.objects.filter(startup_id=OuterRef("startup_id"), month__gte=since)
        .order_by()
        .values("startup_id")
        .annotate(total=Sum(F("input_tokens") + F("output_tokens")))
        .values("total")
    )
    applications = list(
        accepted.annotate(
            deployed=Exists(deployments.filter(stage__in=ACTIVE_STAGES)),
            in_production=Exists(deployments.filter(production_since__isnull=False)),
            tokens=Coalesce(Subquery(tokens), 0),
        )
        .values(
            "id", "deployed", "in_production", "tokens", startup_name=F("startup__name"), round_name=F("cohort__name")
        )
        .order_by("cohort__opens_at", "startup__name")
    )
    accepted_startups = accepted.values("startup_id")
    program_usage = UsageMonthly.objects.filter(startup_id__in=accepted_startups, month__gte=since).order_by()
    active_rows = program_usage.values("month").annotate(startups=Count("startup_id", distinct=True)).order_by("month")
    active_by_month = sorted((row["month"], row["startups"]) for row in active_rows)
    tokens_by_model = [
        (row["model__name"], row["total"])
        for row in program_usage.values("model__name", "model__order")
        .annotate(total=Sum(F("input_tokens") + F("output_tokens")))
        .order_by("-total", "model__order")
    ]
    scores = review_scores_for_applications([row["id"] for row in applications])
    rounds: dict[str, RoundAdoption] = {}
    startups = []
    for row in applications:
        round_ = rounds.setdefault(row["round_name"], RoundAdoption(row["round_name"]))
        round_.accepted += 1
        round_.deployed += row["deployed"]
        round_.in_production += row["in_production"]
        round_.reporting += row["tokens"] > 0
        startups.append(
            AcceptedStartup(
                application_id=row["id"],
                startup_name=row["startup_name"],
                round_name=row["round_name"],
                deployed=row["deployed"],
                in_production=row["in_production"],
                tokens=row["tokens"],
                score=scores.get(row["id"]),
            )
        )
    return ProgramDashboard(
        accepted=len(applications),
        deployed=sum(row["deployed"] for row in applications),
        in_production=sum(row["in_production"] for row in applications),
        active_by_month=active_by_month,
        tokens_by_model=tokens_by_model,
        rounds=list(rounds.values()),
        startups=startups,
    )
