from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from applicants.models import Application, Startup
from common.fields import LONG_TEXT, NOTE_TEXT, BoundedTextField
from programs.models import Criterion
from reviews.enums import (
    AssignmentSource,
    AssignmentStage,
    ConflictSource,
    DecisionKind,
    OfferStatus,
    Recommendation,
)


class Assignment(models.Model):
    """A reviewer asked to review one application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    stage = models.CharField(max_length=16, choices=AssignmentStage.choices, default=AssignmentStage.REVIEW)
    source = models.CharField(max_length=16, choices=AssignmentSource.choices, default=AssignmentSource.AUTOMATIC)
    due_at = models.DateTimeField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="reviews_assignment_unique_pair"),
        ]
        indexes = [models.Index(fields=["reviewer", "due_at"])]

    def __str__(self) -> str:
        return f"{self.reviewer} reviews application {self.application_id}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:assignment-detail", kwargs={"pk": self.pk})

    @property
    def is_overdue(self) -> bool:
        return self.due_at < timezone.now()


class ConflictOfInterest(models.Model):
    """A reviewer who must not review a startup: declared, or found by the assignment."""

    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts")
    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="conflicts")
    source = models.CharField(max_length=16, choices=ConflictSource.choices)
    reason = BoundedTextField(blank=True, max_length=NOTE_TEXT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "conflicts of interest"
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "startup"], name="reviews_conflict_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ✕ {self.startup} ({self.get_source_display()})"


class Review(models.Model):
    """One reviewer's scores and opinion of one application. A draft until submitted."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    comment = BoundedTextField("Comment for the program team", blank=True, max_length=LONG_TEXT)
    feedback = BoundedTextField("Feedback for the startup", blank=True, max_length=LONG_TEXT)
    recommendation = models.CharField(max_length=16, choices=Recommendation.choices, blank=True)
    # The weighted mean of the scores, fixed when the review is submitted; the
    # ranking aggregates it per application and per reviewer.
    weighted_score = models.DecimalField(max_digits=8, decimal_places=4, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | (Q(weighted_score__isnull=False) & ~Q(recommendation="")),
                name="reviews_review_submitted_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of application {self.assignment.application_id} by {self.assignment.reviewer}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    """One criterion's score in a review.

    A check constraint cannot read the criterion's row, so the score carries
    the scale it was given on (copied from the criterion by the service) and
    the database checks the value against it. That also keeps old scores
    meaningful if the rubric's scale is changed later.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField()
    scale_min = models.PositiveSmallIntegerField(editable=False)
    scale_max = models.PositiveSmallIntegerField(editable=False)

    class Meta:
        ordering = ["review", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="reviews_score_one_per_criterion"),
            models.CheckConstraint(
                condition=Q(value__gte=F("scale_min")) & Q(value__lte=F("scale_max")),
                name="reviews_score_within_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Decision(models.Model):
    """A decision on an application: who took it, when and why. Never edited."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=16, choices=DecisionKind.choices)
    from_status = models.CharField(max_length=16)
    # None when the system took it, e.g. a waitlisted startup moving up.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = BoundedTextField(blank=True, max_length=NOTE_TEXT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} application {self.application_id}"


class Offer(models.Model):
    """A place offered to an accepted startup, to take up before ``expires_at``.
    ``status`` changes only through ``reviews.services.offer_transition``."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="offers")
    status = models.CharField(max_length=16, choices=OfferStatus.choices, default=OfferStatus.OFFERED, editable=False)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True, editable=False)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    response_reason = BoundedTextField(blank=True, editable=False, max_length=NOTE_TEXT)
    expiry_warned_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(status=OfferStatus.OFFERED), name="reviews_one_open_offer"
            ),
            models.CheckConstraint(condition=Q(status__in=OfferStatus.values), name="reviews_offer_status_valid"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"Offer to application {self.application_id} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("reviews:offer-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == OfferStatus.OFFERED
