"""Reads for reviewers, managers and startups. Each selector owns its joins, and
the ones a user reaches by id answer 404 for what is not theirs."""

import datetime
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import connection
from django.db.models import Avg, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.models import User
from applicants import identity
from applicants import selectors as applicants_selectors
from applicants.enums import ApplicationStatus
from applicants.models import Application, Attachment
from programs.enums import ProgramRole, QuestionKind
from programs.models import Cohort, Criterion, Program
from programs.rules import programs_managed_by
from reviews.conflicts import conflict_q
from reviews.enums import RANKED_STATUSES, OfferStatus
from reviews.models import Assignment, Decision, Offer, Review, Score

# --- Reviewer -----------------------------------------------------------------


ASSIGNMENT_QUEUE_FIELDS = (
    "id",
    "stage",
    "due_at",
    "application__id",
    "application__startup__name",
    "application__cohort__name",
    "application__cohort__program__name",
    "application__cohort__program__blind_review",
    "review__submitted_at",
)


def assignment_list_for_reviewer(*, user: User) -> QuerySet[Assignment]:
    """The reviewer's assignments, conflicted ones left out, with their progress
    (``scored`` of ``criteria_count``) — a constant number of queries."""
    criteria_count = Subquery(
        Criterion.objects.filter(program=OuterRef("application__cohort__program"))
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    # Correlated counts rather than a join and GROUP BY: the planner spends
    # less on them, and they run for the page's rows only.
    scored = Subquery(
        Score.objects.filter(review__assignment=OuterRef("pk"))
        .order_by()
        .values("review__assignment")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    return (
        Assignment.objects.filter(reviewer=user)
        .exclude(conflict_q(user, "application__startup"))
        .select_related("application__cohort__program", "application__startup", "review")
        # The queue shows a dozen columns of six tables: the answers, the
        # startup's description and the review's notes stay in the database.
        .only(*ASSIGNMENT_QUEUE_FIELDS)
        .annotate(scored=Coalesce(scored, 0), criteria_count=criteria_count)
        .order_by("due_at", "id")
    )


def assignment_get_for_reviewer(*, user: User, pk: int) -> Assignment:
    """The assignment if it is ``user``'s and they have no conflict with the startup, else 404."""
    return get_object_or_404(
        Assignment.objects.filter(reviewer=user)
        .exclude(conflict_q(user, "application__startup"))
        .select_related("application__cohort__program", "application__startup"),
        pk=pk,
    )


@dataclass
class ReviewerAnswer:
    label: str
    help_text: str
    value: str
    attachment_url: str = ""
    attachment_name: str = ""


@dataclass
class ReviewerApplication:
    """What a reviewer may read of an application. In blind review it holds no
    name, website, member, e-mail address or file name of the startup."""

    id: int
    reference: str
    blind: bool
    program: str
    cohort: str
    status: str
    submitted_at: object
    startup_name: str = ""
    startup_website: str = ""
    description: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    answers: list[ReviewerAnswer] = field(default_factory=list)


EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def neutral_attachment_name(attachment: Attachment) -> str:
    suffix = EXTENSIONS.get(attachment.content_type) or PurePath(attachment.file.name or "").suffix
    return f"application-{attachment.application_id}-{attachment.question_key}{suffix}"


def _country_name(country: object) -> str:
    # django-countries gives a Country object; the stubs only know its code.
    return str(getattr(country, "name", "") or "")


def _format_answer(value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def application_for_reviewer(*, assignment: Assignment) -> ReviewerApplication:
    """The application as its reviewer sees it, blind or not."""
    application = assignment.application
    cohort = application.cohort
    blind = cohort.program.blind_review
    pattern = applicants_selectors.startup_identity_pattern(startup=application.startup) if blind else None
    startup = application.startup
    view = ReviewerApplication(
        id=application.pk,
        reference=f"Application #{application.pk}",
        blind=blind,
        program=cohort.program.name,
        cohort=cohort.name,
        status=application.get_status_display(),
        submitted_at=application.submitted_at,
        description=identity.mask(startup.description, pattern),
        facts=[
            ("Country of incorporation", _country_name(startup.incorporation_country)),
            ("Headquarters country", _country_name(startup.country)),
            ("Founded", f"{startup.founded_on:%B %Y}" if startup.founded_on else ""),
            ("Total funding raised (USD)", f"{startup.total_funding_usd:,}"),
            ("Developers on staff", str(startup.developer_count)),
        ],
    )
    if not blind:
        view.startup_name = startup.name
        view.startup_website = startup.website
    attachments = {attachment.question_key: attachment for attachment in application.attachments.all()}
    for question in cohort.questions.all():
        answer = ReviewerAnswer(label=question.label, help_text=question.help_text, value="")
        if question.kind == QuestionKind.FILE:
            attachment = attachments.get(question.key)
            if attachment is not None:
                answer.attachment_url = reverse(
                    "reviews:attachment-download", kwargs={"pk": assignment.pk, "question_key": question.key}
                )
                answer.attachment_name = neutral_attachment_name(attachment) if blind else attachment.original_name
        elif blind and question.kind in {QuestionKind.EMAIL, QuestionKind.URL}:
            answer.value = identity.MASK if application.answers.get(question.key) not in (None, "") else ""
        else:
            answer.value = identity.mask(_format_answer(application.answers.get(question.key)), pattern)
        view.answers.append(answer)
    return view


def attachment_get_for_reviewer(*, assignment: Assignment, question_key: str) -> Attachment:
    return get_object_or_404(Attachment, application_id=assignment.application_id, question_key=question_key)


def review_get(*, assignment: Assignment) -> Review | None:
    return Review.objects.filter(assignment=assignment).prefetch_related("scores").first()


# --- Manager ------------------------------------------------------------------


def review_mean_by_application(*, application_ids: list[int]) -> dict[int, float | None]:
    """The mean weighted score of each application's submitted reviews, in one query."""
    rows = (
        Review.objects.filter(assignment__application_id__in=application_ids, submitted_at__isnull=False)
        .values("assignment__application_id")
        .annotate(mean=Avg("weighted_score"))
        .order_by()
    )
    return {row["assignment__application_id"]: float(row["mean"]) for row in rows if row["mean"] is not None}


def cohort_list_for_manager(*, user: User) -> QuerySet[Cohort]:
    return (
        Cohort.objects.filter(program__in=programs_managed_by(user))
        .select_related("program")
        .annotate(
            application_count=Count("applications", filter=~Q(applications__status=ApplicationStatus.DRAFT)),
        )
        .order_by("-opens_at", "id")
    )


def cohort_get_for_manager(*, user: User, pk: int) -> Cohort:
    """The round if ``user`` manages its program (or is staff), else 404."""
    return get_object_or_404(
        Cohort.objects.filter(program__in=programs_managed_by(user)).select_related("program"), pk=pk
    )


def round_application_list(*, user: User, cohort_pk: int, status: str | None = None) -> QuerySet[Application]:
    """The round's applications that were submitted (whatever became of them
    since), newest first; none unless ``user`` manages the round's program —
    one query, the manager check inside it (``cohort_get_for_manager`` tells an
    empty round from a forbidden one)."""
    # A correlated count runs for the page's rows only; a join and GROUP BY
    # would aggregate the whole round before the LIMIT.
    submitted_reviews = (
        Review.objects.filter(assignment__application=OuterRef("pk"), submitted_at__isnull=False)
        .order_by()
        .values("assignment__application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    applications = (
        Application.objects.filter(
            cohort=cohort_pk, cohort__program__in=programs_managed_by(user), submitted_at__isnull=False
        )
        .select_related("startup")
        .only("id", "status", "is_flagged", "submitted_at", "decided_at", "startup__name")
        .annotate(review_count=Coalesce(Subquery(submitted_reviews, output_field=IntegerField()), 0))
        .order_by("-submitted_at", "-id")
    )
    return applications.filter(status=status) if status else applications


@dataclass
class Funnel:
    by_status: dict[str, int]
    assignments: int
    reviews_submitted: int
    offers: dict[str, int]
    capacity: int

    @property
    def accepted(self) -> int:
        return self.by_status.get(ApplicationStatus.ACCEPTED, 0)

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        return [(status.value, status.label, self.by_status.get(status, 0)) for status in ApplicationStatus]


def cohort_funnel(*, cohort: Cohort) -> Funnel:
    by_status = dict(Application.objects.filter(cohort=cohort).order_by().values_list("status").annotate(n=Count("pk")))
    counts = Assignment.objects.filter(application__cohort=cohort).aggregate(
        assignments=Count("pk"), submitted=Count("review", filter=Q(review__submitted_at__isnull=False))
    )
    offers = dict(
        Offer.objects.filter(application__cohort=cohort).order_by().values_list("status").annotate(n=Count("pk"))
    )
    return Funnel(
        by_status=by_status,
        assignments=counts["assignments"],
        reviews_submitted=counts["submitted"],
        offers={status.label: offers.get(status, 0) for status in OfferStatus},
        capacity=cohort.capacity,
    )


def reviewer_list_for_cohort(*, cohort: Cohort) -> QuerySet[User]:
    """The program's reviewers with their load in this round."""
    return (
        User.objects.filter(
            program_memberships__program_id=cohort.program_id, program_memberships__role=ProgramRole.REVIEWER
        )
        .annotate(load=Count("assignments", filter=Q(assignments__application__cohort=cohort), distinct=True))
        .order_by("full_name", "email")
    )


def application_list_for_assignment(*, cohort: Cohort) -> QuerySet[Application]:
    return (
        Application.objects.filter(cohort=cohort, status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW])
        .select_related("startup")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("reviewer", "review").order_by("reviewer__email"),
            )
        )
        .order_by("submitted_at", "id")
    )


# --- Ranking ------------------------------------------------------------------


@dataclass
class RankedRow:
    position: int
    application_id: int
    raw_mean: float | None
    spread: float | None
    review_count: int
    normalised_mean: float | None
    application: Application | None = None


def _scored_cte() -> str:
    review = Review._meta.db_table
    assignment = Assignment._meta.db_table
    application = Application._meta.db_table
    # Table names come from the models, never from input; values are parameters.
    return f"""
        scored AS (
            SELECT a.application_id, a.reviewer_id, r.weighted_score AS s
            FROM {review} r
            JOIN {assignment} a ON a.id = r.assignment_id
            JOIN {application} app ON app.id = a.application_id
            WHERE app.cohort_id = %s AND r.submitted_at IS NOT NULL
        )"""  # noqa: S608


def ranking_list(*, cohort: Cohort, statuses: frozenset[str] = RANKED_STATUSES) -> list[RankedRow]:
    """The round's applications ranked, in one query.

    Per application: the mean and (population) spread of its reviews'
    weighted scores, the number of reviews, and the normalised mean — the
    mean of each review's z-score against its reviewer's own mean and
    standard deviation in this round, which removes harsh or lenient bias.
    A reviewer whose scores do not vary contributes 0. Ties break on the raw
    mean, then the earlier submission, then the lower id; unreviewed
    applications come last.
    """
    application = Application._meta.db_table
    placeholders = ", ".join(["%s"] * len(statuses))
    sql = f"""
        WITH {_scored_cte()},
        reviewer_stats AS (
            SELECT reviewer_id, AVG(s) AS mean, STDDEV_POP(s) AS sd FROM scored GROUP BY reviewer_id
        ),
        per_application AS (
            SELECT sc.application_id,
                   AVG(sc.s) AS raw_mean,
                   STDDEV_POP(sc.s) AS spread,
                   COUNT(*) AS review_count,
                   AVG(CASE WHEN rs.sd > 0 THEN (sc.s - rs.mean) / rs.sd ELSE 0 END) AS normalised_mean
            FROM scored sc JOIN reviewer_stats rs ON rs.reviewer_id = sc.reviewer_id
            GROUP BY sc.application_id
        )
        SELECT app.id, pa.raw_mean, pa.spread, COALESCE(pa.review_count, 0), pa.normalised_mean
        FROM {application} app LEFT JOIN per_application pa ON pa.application_id = app.id
        WHERE app.cohort_id = %s AND app.status IN ({placeholders})
        ORDER BY (CASE WHEN pa.normalised_mean IS NULL THEN 1 ELSE 0 END),
                 pa.normalised_mean DESC, pa.raw_mean DESC, app.submitted_at ASC, app.id ASC
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [cohort.pk, cohort.pk, *sorted(statuses)])
        rows = cursor.fetchall()

    def number(value: object) -> float | None:
        return None if value is None else float(value)  # type: ignore[arg-type]

    return [
        RankedRow(
            position=position,
            application_id=application_id,
            raw_mean=number(raw_mean),
            spread=number(spread),
            review_count=int(review_count),
            normalised_mean=number(normalised_mean),
        )
        for position, (application_id, raw_mean, spread, review_count, normalised_mean) in enumerate(rows, start=1)
    ]


def ranking_attach_applications(rows: list[RankedRow]) -> list[RankedRow]:
    """Fill in each row's application (with its startup), in one query."""
    applications = Application.objects.select_related("startup").in_bulk([row.application_id for row in rows])
    for row in rows:
        row.application = applications.get(row.application_id)
    return rows


@dataclass
class ReviewerToughness:
    reviewer_id: int
    name: str
    review_count: int
    mean: float
    sd: float
    offset: float


def reviewer_toughness(*, cohort: Cohort) -> list[ReviewerToughness]:
    """Each reviewer's mean weighted score in the round, its spread, and its
    offset from the round's mean (negative: harsher than the rest). One query."""
    user = User._meta.db_table
    sql = f"""
        WITH {_scored_cte()}
        SELECT sc.reviewer_id, u.full_name, u.email, COUNT(*), AVG(sc.s), STDDEV_POP(sc.s),
               AVG(sc.s) - (SELECT AVG(s) FROM scored)
        FROM scored sc JOIN {user} u ON u.id = sc.reviewer_id
        GROUP BY sc.reviewer_id, u.full_name, u.email
        ORDER BY AVG(sc.s) ASC, sc.reviewer_id ASC
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [cohort.pk])
        rows = cursor.fetchall()
    return [
        ReviewerToughness(
            reviewer_id=reviewer_id,
            name=full_name or email,
            review_count=int(count),
            mean=float(mean),
            sd=float(sd or 0),
            offset=float(offset),
        )
        for reviewer_id, full_name, email, count, mean, sd, offset in rows
    ]


def decision_list(*, cohort: Cohort) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(application__cohort=cohort)
        .select_related("application__startup", "actor")
        .order_by("-created_at", "-id")
    )


# --- Startup ------------------------------------------------------------------


def offer_list_for_user(*, user: User) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(application__startup__memberships__user=user)
        .select_related("application__startup", "application__cohort__program")
        .order_by("-created_at", "-id")
    )


def offer_get_for_member(*, user: User, pk: int) -> Offer:
    """The offer if ``user`` belongs to the startup it was made to, else 404."""
    return get_object_or_404(offer_list_for_user(user=user), pk=pk)


def offer_latest_for_application(*, application: Application) -> Offer | None:
    return Offer.objects.filter(application=application).order_by("-created_at", "-id").first()


def overdue_review_counts(*, program: Program, until: datetime.datetime) -> list[tuple[str, int]]:
    """Per reviewer (by name, else e-mail), how many of the program's in-review
    assignments due before ``until`` are not yet submitted; most overdue first."""
    rows = (
        Assignment.objects.filter(
            application__cohort__program=program,
            application__status=ApplicationStatus.IN_REVIEW,
            due_at__lt=until,
        )
        .filter(Q(review__isnull=True) | Q(review__submitted_at__isnull=True))
        .values("reviewer__email", "reviewer__full_name")
        .annotate(count=Count("pk"))
        .order_by("-count", "reviewer__email")
    )
    return [(row["reviewer__full_name"] or row["reviewer__email"], row["count"]) for row in rows]


def offer_list_waiting(*, program: Program) -> QuerySet[Offer]:
    """The program's offers still waiting for an answer, soonest deadline first."""
    return (
        Offer.objects.filter(application__cohort__program=program, status=OfferStatus.OFFERED)
        .select_related("application__startup")
        .order_by("expires_at", "pk")
    )
