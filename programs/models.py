import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from common.fields import LONG_TEXT, NOTE_TEXT, BoundedTextField
from programs.eligibility import check_rule_definition
from programs.enums import CHOICE_KINDS, BenefitKind, ProgramRole, QuestionKind, RuleOperator, RuleSeverity


class Program(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    summary = models.CharField(max_length=300, help_text="One sentence shown in lists.")
    description = BoundedTextField(blank=True, max_length=LONG_TEXT)
    eligibility_summary = BoundedTextField(blank=True, max_length=NOTE_TEXT, help_text="Who may apply, in plain words.")
    website = models.URLField(blank=True)
    is_published = models.BooleanField(default=True)
    reviewers_per_application = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1)])
    blind_review = models.BooleanField(default=False, help_text="Hide the startup's identity from reviewers.")
    hold_payments_without_usage = models.BooleanField(
        default=False, help_text="Hold a month's payment until the startup has reported usage for it."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:program-detail", kwargs={"slug": self.slug})


class ProgramMembership(models.Model):
    """A user's role in one program: manager or reviewer."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_memberships")
    role = models.CharField(max_length=16, choices=ProgramRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["program", "user", "role"], name="programs_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.program}"


class Cohort(models.Model):
    """An intake round: when it opens and closes, when decisions come, how many get in."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=200)
    slug = models.SlugField()
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    decision_date = models.DateField(null=True, blank=True)
    capacity = models.PositiveIntegerField(help_text="How many startups this round accepts.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "-opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["program", "slug"], name="programs_cohort_slug_unique"),
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="programs_cohort_closes_after_opens"),
        ]

    def __str__(self) -> str:
        return f"{self.program} — {self.name}"

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "A round must close after it opens."})

    def is_open(self, at: datetime.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    @property
    def has_closed(self) -> bool:
        return timezone.now() >= self.closes_at


class Question(models.Model):
    """One field of a round's application form."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=64, help_text="Stable name used in the API and eligibility rules.")
    label = models.CharField(max_length=300)
    help_text = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    required = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    choices = models.JSONField(default=list, blank=True, help_text="For choice questions: a list of options.")
    max_length = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(LONG_TEXT)],
        help_text=f"For text: at most this many characters (up to {LONG_TEXT:,}).",
    )
    min_value = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["cohort", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "key"], name="programs_question_key_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if self.kind in CHOICE_KINDS:
            if not isinstance(self.choices, list) or not self.choices:
                raise ValidationError({"choices": "A choice question needs a list of options."})
            if not all(isinstance(choice, str) and choice for choice in self.choices):
                raise ValidationError({"choices": "Every option must be non-empty text."})
        elif self.choices:
            raise ValidationError({"choices": "Only choice questions have options."})
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            raise ValidationError({"max_value": "The maximum must not be below the minimum."})


class EligibilityRule(models.Model):
    """One condition on the startup's profile or an answer, with the sentence shown when it fails."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="eligibility_rules")
    field = models.CharField(
        max_length=100,
        help_text="startup.<profile field> or answer.<question key>",
    )
    operator = models.CharField(max_length=16, choices=RuleOperator.choices)
    value = models.JSONField(null=True, blank=True, help_text="What the field is compared with (JSON).")
    failure_message = models.CharField(max_length=300, help_text="What the startup reads when the rule fails.")
    severity = models.CharField(max_length=8, choices=RuleSeverity.choices, default=RuleSeverity.HARD)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program", "order", "id"]

    def __str__(self) -> str:
        return f"{self.field} {self.get_operator_display()} {self.value!r}"

    def clean(self) -> None:
        check_rule_definition(field=self.field, operator=self.operator, value=self.value)


class Criterion(models.Model):
    """One line of a program's rubric."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    guidance = BoundedTextField(blank=True, max_length=NOTE_TEXT)
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("1.00"))
    scale_min = models.PositiveSmallIntegerField(default=1)
    scale_max = models.PositiveSmallIntegerField(default=5)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program", "order", "id"]
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(condition=Q(scale_max__gt=F("scale_min")), name="programs_criterion_scale_valid"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="programs_criterion_weight_positive"),
            models.UniqueConstraint(fields=["program", "name"], name="programs_criterion_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Benefit(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="benefits")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=BenefitKind.choices)
    description = BoundedTextField(blank=True, max_length=NOTE_TEXT)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For a monthly stipend: how many months."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=BenefitKind.MONTHLY_STIPEND) | (Q(amount__gt=0) & Q(months__gt=0)),
                name="programs_benefit_stipend_has_amount_and_months",
            ),
        ]

    def __str__(self) -> str:
        return self.name
