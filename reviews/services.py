"""Writes for assignments, conflicts, reviews, decisions and offers.

Application statuses change only through ``applicants.services.application_transition``;
offer statuses only through ``offer_transition``. Decisions that change how many
places are taken lock the round's row first, so capacity holds under concurrency.

Every path that changes an offer, its application or its round takes their row
locks in one order: the round, then the offer, then the application. Two
answers to one offer (or an answer and the expiry task) then queue on the round
instead of deadlocking, and the one that comes second gets a ``ConflictError``.
"""

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import User
from applicants.enums import ApplicationStatus
from applicants.models import Application
from applicants.services import application_transition
from applicants.signals import offer_accepted
from common.errors import ConflictError, DomainError, PermissionDeniedError
from programs.enums import ProgramRole
from programs.models import Cohort
from reviews import selectors
from reviews.assignment import Candidate, Plan, plan_assignments
from reviews.conflicts import conflict_pairs, detected_conflict
from reviews.enums import (
    ASSIGNABLE_STATUSES,
    DECISION_STATUS,
    OFFER_TRANSITIONS,
    REVIEWABLE_STATUSES,
    AssignmentSource,
    AssignmentStage,
    ConflictSource,
    DecisionKind,
    OfferStatus,
    Recommendation,
)
from reviews.models import Assignment, ConflictOfInterest, Decision, Offer, Review, Score
from reviews.signals import offer_expiring, offer_made, review_assigned, review_overdue

logger = logging.getLogger(__name__)

S = ApplicationStatus


class ReviewError(DomainError):
    pass


def _review_due_at() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.RUNWAY_REVIEW_DAYS)


# --- Assignment -------------------------------------------------------------


def _round_reviewers(cohort: Cohort) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            program_memberships__program_id=cohort.program_id,
            program_memberships__role=ProgramRole.REVIEWER,
        )
        .distinct()
        .only("id", "email")
        .order_by("id")
    )


@dataclass
class RoundPlan:
    plan: Plan
    reviewers: list[User]
    # application id -> (startup id, status)
    applications: dict[int, tuple[int, str]]
    conflicts: dict[tuple[int, int], str]
    existing: list[tuple[int, int]]


def _round_plan(cohort: Cohort) -> RoundPlan:
    reviewers = _round_reviewers(cohort)
    rows = Application.objects.filter(cohort=cohort, status__in=ASSIGNABLE_STATUSES).values_list(
        "id", "startup_id", "status"
    )
    applications = {application_id: (startup_id, status) for application_id, startup_id, status in rows}
    existing = list(Assignment.objects.filter(application__cohort=cohort).values_list("application_id", "reviewer_id"))
    conflicts = conflict_pairs(
        reviewers=reviewers, startup_ids=sorted({startup_id for startup_id, _ in applications.values()})
    )
    plan = plan_assignments(
        applications=[
            Candidate(application_id, startup_id) for application_id, (startup_id, _) in applications.items()
        ],
        reviewer_ids=[reviewer.pk for reviewer in reviewers],
        per_application=cohort.program.reviewers_per_application,
        existing=existing,
        conflicts=conflicts,
    )
    return RoundPlan(plan, reviewers, applications, conflicts, existing)


def assignment_preview(*, cohort: Cohort) -> Plan:
    """What ``assignment_run`` would add now, without writing anything."""
    return _round_plan(cohort).plan


def assignment_run_enqueue(*, cohort: Cohort, actor: User | None) -> bool:
    """Ask a worker to run the round's assignment; False when the broker cannot
    be reached. Writes nothing, so a broker that is down loses nothing: the
    manager is told to try again instead of seeing an error page."""
    from reviews.tasks import assign_round

    try:
        assign_round.apply_async(
            args=[cohort.pk, actor.pk if actor else None],
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
        )
    except OperationalError:
        logger.warning("Could not queue the assignment of round %s", cohort.pk, exc_info=True)
        return False
    return True


def assignment_run(*, cohort: Cohort, actor: User | None) -> Plan:
    """Give every submitted or in-review application of the round its N
    reviewers, keeping the assignments already made. Running it again adds
    nothing. Detected conflicts are recorded; applications that got reviewers
    move from submitted to in review."""
    with transaction.atomic():
        # One run per round at a time: a second waits and then finds nothing to do.
        Cohort.objects.select_for_update().get(pk=cohort.pk)
        round_plan = _round_plan(cohort)
        plan = round_plan.plan
        due_at = _review_due_at()
        created = Assignment.objects.bulk_create(
            [
                Assignment(
                    application_id=application_id,
                    reviewer_id=reviewer_id,
                    due_at=due_at,
                    assigned_by=actor,
                    source=AssignmentSource.AUTOMATIC,
                    stage=AssignmentStage.REVIEW,
                )
                for application_id, reviewer_id in plan.new
            ],
            batch_size=2000,
        )
        ConflictOfInterest.objects.bulk_create(
            [
                ConflictOfInterest(reviewer_id=reviewer_id, startup_id=startup_id, source=source)
                for (reviewer_id, startup_id), source in round_plan.conflicts.items()
                if source != ConflictSource.DECLARED
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        if created:
            review_assigned.send(sender=Assignment, assignments=created)
        with_reviewers = {application_id for application_id, _ in round_plan.existing} | {
            application_id for application_id, _ in plan.new
        }
        for application_id, (_, status) in sorted(round_plan.applications.items()):
            if status == S.SUBMITTED and application_id in with_reviewers:
                _start_review(Application(pk=application_id), actor=actor)
    return plan


def _start_review(application: Application, *, actor: User | None) -> None:
    application_transition(
        application=application,
        to_status=S.IN_REVIEW,
        actor=actor,
        reason="Reviewers were assigned.",
        expected_from=frozenset({S.SUBMITTED}),
    )


def assignment_create(
    *,
    application: Application,
    reviewer: User,
    actor: User,
    due_at: datetime.datetime | None = None,
    stage: str = AssignmentStage.REVIEW,
) -> Assignment:
    """Assign a reviewer by hand. Refuses conflicted reviewers and people who
    are not reviewers of the program."""
    program = application.cohort.program
    if not program.memberships.filter(user=reviewer, role=ProgramRole.REVIEWER).exists():
        raise ReviewError("This person is not a reviewer of the program.", field="reviewer")
    if application.status not in ASSIGNABLE_STATUSES:
        raise ConflictError("Only submitted or in-review applications get reviewers.", field="application")
    source = detected_conflict(reviewer, application.startup_id)
    if source is not None:
        raise ConflictError(
            f"This reviewer has a conflict of interest ({ConflictSource(source).label.lower()}).", field="reviewer"
        )
    with transaction.atomic():
        if Assignment.objects.filter(application=application, reviewer=reviewer).exists():
            raise ConflictError("This reviewer is already assigned.", field="reviewer")
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    application=application,
                    reviewer=reviewer,
                    due_at=due_at or _review_due_at(),
                    stage=stage,
                    source=AssignmentSource.MANUAL,
                    assigned_by=actor,
                )
        except IntegrityError:
            # Two requests assigned the same reviewer at once; the other one won.
            raise ConflictError("This reviewer is already assigned.", field="reviewer") from None
        review_assigned.send(sender=Assignment, assignments=[assignment])
        if application.status == S.SUBMITTED:
            _start_review(application, actor=actor)
    return assignment


def assignment_delete(*, assignment: Assignment, actor: User) -> None:
    """Unassign by hand. A submitted review stays part of the record."""
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
        if locked is None:
            return
        if Review.objects.filter(assignment=locked, submitted_at__isnull=False).exists():
            raise ConflictError("This review was submitted; it can no longer be unassigned.", field="assignment")
        locked.delete()


def conflict_declare(*, assignment: Assignment, reviewer: User, reason: str = "") -> ConflictOfInterest:
    """The reviewer declares a conflict with the startup: the conflict is
    recorded for every round, and their assignments to it whose review is not
    submitted go (drafts included). A submitted review stays part of the record."""
    if assignment.reviewer_id != reviewer.pk:
        raise PermissionDeniedError("Only the assigned reviewer can declare a conflict.", field="assignment")
    if Review.objects.filter(assignment=assignment, submitted_at__isnull=False).exists():
        raise ConflictError(
            "Your review of this application is submitted; write to the program team about the conflict.",
            field="assignment",
        )
    startup_id = assignment.application.startup_id
    with transaction.atomic():
        conflict, created = ConflictOfInterest.objects.get_or_create(
            reviewer=reviewer,
            startup_id=startup_id,
            defaults={"source": ConflictSource.DECLARED, "reason": reason},
        )
        if not created and conflict.source != ConflictSource.DECLARED:
            conflict.source = ConflictSource.DECLARED
            conflict.reason = reason
            conflict.save(update_fields=["source", "reason"])
        Assignment.objects.filter(reviewer=reviewer, application__startup_id=startup_id).exclude(
            review__submitted_at__isnull=False
        ).delete()
    return conflict


# --- Reviews ----------------------------------------------------------------


def _check_scores(criteria: list, scores: Mapping[int, int | None]) -> dict[str, list[str]]:
    by_id = {criterion.pk: criterion for criterion in criteria}
    errors: dict[str, list[str]] = {}
    for criterion_id, value in scores.items():
        criterion = by_id.get(criterion_id)
        if criterion is None:
            errors[f"criterion_{criterion_id}"] = ["This criterion is not part of the program's rubric."]
        elif value is not None and not (criterion.scale_min <= value <= criterion.scale_max):
            errors[f"criterion_{criterion_id}"] = [
                f"{criterion.name}: give a score from {criterion.scale_min} to {criterion.scale_max}."
            ]
    return errors


def review_save(
    *,
    assignment: Assignment,
    reviewer: User,
    scores: Mapping[int, int | None] | None = None,
    comment: str | None = None,
    feedback: str | None = None,
    recommendation: str | None = None,
) -> Review:
    """Save a draft review: only the parts given change; a score of None clears it.

    Raises a domain error naming the field for a score off its criterion's
    scale or an unknown recommendation; a submitted review cannot change.
    """
    if assignment.reviewer_id != reviewer.pk:
        raise PermissionDeniedError("This is not your assignment.", field="assignment")
    application = assignment.application
    criteria = list(application.cohort.program.criteria.all())
    scores = dict(scores or {})
    errors = _check_scores(criteria, scores)
    if recommendation and recommendation not in Recommendation.values:
        errors["recommendation"] = ["Choose one of the recommendations."]
    if errors:
        raise ReviewError(errors)
    if detected_conflict(reviewer, application.startup_id) is not None:
        raise PermissionDeniedError("You have a conflict of interest with this startup.", field="assignment")
    by_id = {criterion.pk: criterion for criterion in criteria}
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().select_related("application").get(pk=assignment.pk)
        if locked.application.status not in REVIEWABLE_STATUSES:
            raise ConflictError("This application is no longer in review.", field="application")
        review, _ = Review.objects.get_or_create(assignment=locked)
        if review.is_submitted:
            raise ConflictError("This review was submitted and can no longer change.", field="review")
        update_fields = ["updated_at"]
        for name, value in (("comment", comment), ("feedback", feedback), ("recommendation", recommendation)):
            if value is not None:
                setattr(review, name, value)
                update_fields.append(name)
        review.save(update_fields=update_fields)
        cleared = [criterion_id for criterion_id, value in scores.items() if value is None]
        if cleared:
            Score.objects.filter(review=review, criterion_id__in=cleared).delete()
        kept = {criterion_id: value for criterion_id, value in scores.items() if value is not None}
        Score.objects.bulk_create(
            [
                Score(
                    review=review,
                    criterion_id=criterion_id,
                    value=value,
                    scale_min=by_id[criterion_id].scale_min,
                    scale_max=by_id[criterion_id].scale_max,
                )
                for criterion_id, value in kept.items()
            ],
            update_conflicts=True,
            unique_fields=["review", "criterion"],
            update_fields=["value", "scale_min", "scale_max"],
        )
    return review


def review_submit(*, assignment: Assignment, reviewer: User, **draft: object) -> Review:
    """Save what is given as a draft, then submit it: every criterion scored and
    a recommendation chosen, or a domain error naming what is missing (the
    draft is kept either way). Fixes the review's weighted score."""
    review = review_save(assignment=assignment, reviewer=reviewer, **draft)  # type: ignore[arg-type]
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        if review.is_submitted:
            raise ConflictError("This review was already submitted.", field="review")
        criteria = list(assignment.application.cohort.program.criteria.all())
        scored = set(review.scores.values_list("criterion_id", flat=True))
        errors = {
            f"criterion_{criterion.pk}": [f"{criterion.name}: a score is needed to submit."]
            for criterion in criteria
            if criterion.pk not in scored
        }
        if not review.recommendation:
            errors["recommendation"] = ["Choose a recommendation to submit."]
        if not criteria:
            errors["review"] = ["The program has no rubric to score against yet."]
        if errors:
            raise ReviewError(errors, code="incomplete")
        totals = review.scores.aggregate(
            weighted=Sum(
                ExpressionWrapper(
                    F("value") * F("criterion__weight"), output_field=DecimalField(max_digits=12, decimal_places=4)
                )
            ),
            weights=Sum("criterion__weight"),
        )
        review.weighted_score = (Decimal(totals["weighted"]) / Decimal(totals["weights"])).quantize(Decimal("0.0001"))
        review.submitted_at = timezone.now()
        review.save(update_fields=["weighted_score", "submitted_at", "updated_at"])
    return review


def review_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Raise ``review_overdue`` for every overdue, unsubmitted assignment of an
    application still in review — at most once per assignment per day, even
    when two runs overlap (the update claims the row)."""
    now = now or timezone.now()
    not_today = Q(last_reminded_at__isnull=True) | Q(last_reminded_at__date__lt=now.date())
    overdue = (
        Assignment.objects.filter(due_at__lt=now, application__status=S.IN_REVIEW)
        .filter(Q(review__isnull=True) | Q(review__submitted_at__isnull=True))
        .filter(not_today)
    )
    sent = 0
    for pk in list(overdue.values_list("pk", flat=True)):
        with transaction.atomic():
            if not Assignment.objects.filter(pk=pk).filter(not_today).update(last_reminded_at=now):
                continue
            assignment = Assignment.objects.select_related("application__cohort__program", "reviewer").get(pk=pk)
            review_overdue.send(sender=Assignment, assignment=assignment)
        sent += 1
    return sent


# --- Decisions and offers -----------------------------------------------------

DECIDABLE_FROM: dict[str, frozenset[str]] = {
    DecisionKind.ACCEPT: frozenset({S.IN_REVIEW, S.WAITLISTED}),
    DecisionKind.WAITLIST: frozenset({S.IN_REVIEW}),
    DecisionKind.REJECT: frozenset({S.IN_REVIEW, S.WAITLISTED}),
}


def _offer_expires_at() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.RUNWAY_OFFER_DAYS)


def _decide_locked(*, cohort: Cohort, application: Application, kind: str, actor: User | None, reason: str) -> Decision:
    """Call while holding the round's row lock."""
    if kind not in DECISION_STATUS:
        raise ReviewError("Choose accept, waitlist or reject.", field="decision")
    if application.cohort_id != cohort.pk:
        raise ReviewError("This application belongs to another round.", field="application")
    if kind == DecisionKind.ACCEPT:
        taken = Application.objects.filter(cohort=cohort, status=S.ACCEPTED).count()
        if taken >= cohort.capacity:
            raise ConflictError(
                f"The round is full: {taken} of {cohort.capacity} places are taken.", field="decision", code="full"
            )
    from_status = Application.objects.select_for_update().values_list("status", flat=True).get(pk=application.pk)
    application_transition(
        application=application,
        to_status=DECISION_STATUS[kind],
        actor=actor,
        reason=reason,
        expected_from=DECIDABLE_FROM[kind],
    )
    decision = Decision.objects.create(
        application=application, kind=kind, from_status=from_status, actor=actor, reason=reason
    )
    if kind == DecisionKind.ACCEPT:
        offer = Offer.objects.create(application=application, expires_at=_offer_expires_at())
        offer_made.send(sender=Offer, offer=offer)
    return decision


def decision_make(*, application: Application, kind: str, actor: User | None, reason: str = "") -> Decision:
    """Accept, waitlist or reject one application. Accepting never takes the
    round beyond its capacity, however many requests arrive at once: the
    round's row is locked and the places counted inside the lock. Accepting
    also makes an offer with a deadline."""
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().get(pk=application.cohort_id)
        return _decide_locked(cohort=cohort, application=application, kind=kind, actor=actor, reason=reason)


@dataclass
class BulkOutcome:
    application_id: int
    ok: bool
    error: str = ""


def decision_make_bulk(
    *, cohort: Cohort, application_ids: Iterable[int], kind: str, actor: User, reason: str = ""
) -> list[BulkOutcome]:
    """Decide many applications of one round, in the order given. Each one
    succeeds or fails on its own (say, when the round fills up), and the
    outcome of each is returned."""
    outcomes: list[BulkOutcome] = []
    with transaction.atomic():
        locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
        applications = Application.objects.in_bulk([int(pk) for pk in application_ids])
        for application_id in application_ids:
            application = applications.get(int(application_id))
            if application is None or application.cohort_id != locked.pk:
                outcomes.append(BulkOutcome(int(application_id), False, "No such application in this round."))
                continue
            try:
                with transaction.atomic():
                    _decide_locked(cohort=locked, application=application, kind=kind, actor=actor, reason=reason)
            except DomainError as error:
                outcomes.append(BulkOutcome(application.pk, False, error.message))
            else:
                outcomes.append(BulkOutcome(application.pk, True))
    return outcomes


def offer_transition(
    *, offer: Offer, to_status: str, actor: User | None, reason: str = "", now: datetime.datetime | None = None
) -> Offer:
    """The one write path for an offer's status: locks the row, checks the move
    against ``OFFER_TRANSITIONS`` and records who answered, when and why. Call
    holding the round's row lock, which every path locks first."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        if to_status not in OFFER_TRANSITIONS[locked.status]:
            raise ConflictError(
                f"An offer that is {locked.get_status_display().lower()} "
                f"cannot become {OfferStatus(to_status).label.lower()}.",
                field="status",
            )
        if to_status in {OfferStatus.ACCEPTED, OfferStatus.DECLINED} and locked.expires_at <= now:
            raise ConflictError("This offer has expired.", field="status", code="expired")
        locked.status = to_status
        locked.responded_at = now
        locked.responded_by = actor
        locked.response_reason = reason
        locked.save(update_fields=["status", "responded_at", "responded_by", "response_reason"])
    for name in ("status", "responded_at", "responded_by", "response_reason"):
        setattr(offer, name, getattr(locked, name))
    return offer


def offer_accept(*, offer: Offer, user: User) -> Offer:
    """The startup takes up its place; ``offer_accepted`` starts what follows
    (the benefit schedule, which locks the application)."""
    with transaction.atomic():
        # The round first, as on every path that changes an offer.
        cohort_id = Application.objects.values_list("cohort_id", flat=True).get(pk=offer.application_id)
        Cohort.objects.select_for_update().get(pk=cohort_id)
        offer = offer_transition(offer=offer, to_status=OfferStatus.ACCEPTED, actor=user)
        application = Application.objects.get(pk=offer.application_id)
        if application.status != S.ACCEPTED:
            raise ConflictError("This application is no longer accepted.", field="status")
        offer_accepted.send(sender=Offer, application=application, actor=user)
    return offer


def _release_place(*, offer: Offer, to_status: str, actor: User | None, reason: str) -> Offer:
    application = Application.objects.get(pk=offer.application_id)
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().get(pk=application.cohort_id)
        offer = offer_transition(offer=offer, to_status=to_status, actor=actor, reason=reason)
        application_transition(
            application=application,
            to_status=S.WITHDRAWN,
            actor=actor,
            reason=reason,
            expected_from=frozenset({S.ACCEPTED}),
        )
        waitlist_promote(cohort=cohort)
    return offer


def offer_decline(*, offer: Offer, user: User, reason: str = "") -> Offer:
    """The startup turns its place down: the application is withdrawn and the
    place goes to the top of the waitlist."""
    return _release_place(
        offer=offer, to_status=OfferStatus.DECLINED, actor=user, reason=reason or "The startup declined the offer."
    )


def offer_expire(*, offer_id: int, now: datetime.datetime | None = None) -> bool:
    """Expire one unanswered offer past its deadline; False if it was answered,
    is not yet due, or is gone."""
    now = now or timezone.now()
    offer = Offer.objects.filter(pk=offer_id, status=OfferStatus.OFFERED, expires_at__lte=now).first()
    if offer is None:
        return False
    try:
        _release_place(offer=offer, to_status=OfferStatus.EXPIRED, actor=None, reason="The offer expired unanswered.")
    except ConflictError:
        return False
    return True


def offers_expire(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    due = Offer.objects.filter(status=OfferStatus.OFFERED, expires_at__lte=now).values_list("pk", flat=True)
    return sum(offer_expire(offer_id=pk, now=now) for pk in list(due))


def offers_warn_expiring(*, now: datetime.datetime | None = None) -> int:
    """Raise ``offer_expiring`` once for each open offer within
    ``RUNWAY_OFFER_WARNING_HOURS`` of its deadline."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(hours=settings.RUNWAY_OFFER_WARNING_HOURS)
    due = Offer.objects.filter(
        status=OfferStatus.OFFERED, expires_at__gt=now, expires_at__lte=horizon, expiry_warned_at__isnull=True
    )
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            if not Offer.objects.filter(pk=pk, expiry_warned_at__isnull=True).update(expiry_warned_at=now):
                continue
            offer_expiring.send(sender=Offer, offer=Offer.objects.select_related("application").get(pk=pk))
        sent += 1
    return sent


def waitlist_promote(*, cohort: Cohort) -> Decision | None:
    """Give the place just freed to the best-ranked waitlisted application, if
    the round has a free place. One place for one place: free places the
    managers left open on purpose stay theirs to fill. Call while holding the
    round's row lock."""
    if Application.objects.filter(cohort=cohort, status=S.ACCEPTED).count() >= cohort.capacity:
        return None
    ranked = selectors.ranking_list(cohort=cohort, statuses=frozenset({S.WAITLISTED}))
    if not ranked:
        return None
    return _decide_locked(
        cohort=cohort,
        application=Application.objects.get(pk=ranked[0].application_id),
        kind=DecisionKind.ACCEPT,
        actor=None,
        reason="A place became free and this application was at the top of the waitlist.",
    )
