"""Reviews: drafts, scores within each criterion's scale, submission and the
reminders for overdue ones."""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from accounts.models import User
from applicants.enums import ApplicationStatus
from common.errors import ConflictError, PermissionDeniedError
from reviews.conflicts import detected_conflict
from reviews.enums import REVIEWABLE_STATUSES, Recommendation
from reviews.errors import ReviewError
from reviews.models import Assignment, Review, Score
from reviews.signals import review_overdue

S = ApplicationStatus


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
