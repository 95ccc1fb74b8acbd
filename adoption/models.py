import datetime
import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from adoption.enums import DeploymentStage, DisbursementStatus, Environment, Modality
from applicants.models import Application, Startup
from common.dates import PastDateValidator
from common.fields import LONG_TEXT, NOTE_TEXT, BoundedTextField
from common.tokens import hash_token
from programs.models import Benefit, Program

# The most requests, or input or output tokens, one startup reports for one model
# on one day: a trillion, far above any startup's use, and low enough that no
# sum made of them leaves a bigint. A month of one model is at most 31 * 10**12,
# its input and output tokens added 6.2 * 10**13; program-wide totals are SUMs,
# which PostgreSQL computes in numeric.
USAGE_MAX_PER_DAY = 10**12
# No hosted model was used before this: an earlier day is a typo (0001, 1970)
# that would only skew roll-ups and dashboards.
EARLIEST_USAGE_DAY = datetime.date(2015, 1, 1)


class AIModel(models.Model):
    """One model of the catalog startups report deployments and usage against."""

    family = models.CharField(max_length=100, help_text="e.g. Llama 3.1")
    name = models.CharField(max_length=100, unique=True)
    size = models.CharField(
        max_length=40, blank=True, help_text="Parameters, e.g. 8B, or 17B active for a mixture of experts."
    )
    modality = models.CharField(max_length=16, choices=Modality.choices, default=Modality.TEXT)
    slug = models.CharField(
        max_length=100,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9.\-]*$", "Lower-case letters, digits, dots and hyphens.")],
        help_text="What API clients send as `model`, e.g. llama-3.1-8b.",
    )
    is_active = models.BooleanField(default=True, help_text="Inactive models accept no new usage or deployments.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "AI model"

    def __str__(self) -> str:
        return self.name


class Deployment(models.Model):
    """A startup's use of one model somewhere. ``stage`` changes only through
    ``adoption.services.deployment_change_stage``."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="deployments")
    model = models.ForeignKey(AIModel, on_delete=models.PROTECT, related_name="deployments")
    environment = models.CharField(max_length=16, choices=Environment.choices)
    cloud_provider = models.CharField(max_length=100, blank=True, help_text="For a cloud deployment: which provider.")
    stage = models.CharField(
        max_length=16, choices=DeploymentStage.choices, default=DeploymentStage.EXPLORING, editable=False
    )
    use_case = BoundedTextField(max_length=NOTE_TEXT)
    started_on = models.DateField(validators=[PastDateValidator(EARLIEST_USAGE_DAY)])
    production_since = models.DateField(null=True, blank=True, editable=False)
    ended_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["startup", "model__order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=DeploymentStage.values), name="adoption_deployment_stage_valid"
            ),
            models.CheckConstraint(
                condition=~Q(environment=Environment.CLOUD) | ~Q(cloud_provider=""),
                name="adoption_deployment_cloud_names_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.startup} — {self.model} ({self.get_environment_display()})"


class DeploymentStageChange(models.Model):
    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=16, choices=DeploymentStage.choices)
    to_stage = models.CharField(max_length=16, choices=DeploymentStage.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["deployment", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.deployment}: {self.from_stage} → {self.to_stage}"


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def active(self) -> "ApiKeyQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A startup's key for the usage API. Only a SHA-256 of the key is stored.

    A fast hash is enough here, unlike for passwords: the key is 256 random
    bits, so a leaked hash cannot be reversed by guessing, and a slow hash
    would cost every API request tens of milliseconds for nothing.
    """

    PREFIX = "rwk_"

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, editable=False, help_text="The key's first characters, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def new_key(cls) -> tuple[str, str, str]:
        """A fresh key, its visible prefix and its hash."""
        key = cls.PREFIX + secrets.token_urlsafe(32)
        return key, key[:12], hash_token(key)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class UsageRecord(models.Model):
    """A startup's use of one model on one (UTC) day. Written in bulk by
    ``adoption.ingest``; one row per (startup, model, day), last values win."""

    # No index of its own: the unique (startup, model, date) index leads with it,
    # and one index fewer is less work for every ingested row.
    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="usage_records", db_index=False)
    model = models.ForeignKey(AIModel, on_delete=models.PROTECT, related_name="usage_records")
    date = models.DateField()
    requests = models.BigIntegerField()
    input_tokens = models.BigIntegerField()
    output_tokens = models.BigIntegerField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["startup", "-date", "model"]
        constraints = [
            models.UniqueConstraint(fields=["startup", "model", "date"], name="adoption_usage_one_per_day"),
            models.CheckConstraint(
                condition=Q(requests__gte=0) & Q(input_tokens__gte=0) & Q(output_tokens__gte=0),
                name="adoption_usage_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(requests__lte=USAGE_MAX_PER_DAY)
                & Q(input_tokens__lte=USAGE_MAX_PER_DAY)
                & Q(output_tokens__lte=USAGE_MAX_PER_DAY),
                name="adoption_usage_within_daily_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.startup} {self.model} {self.date}"


class UsageMonthly(models.Model):
    """The roll-up dashboards read: raw usage summed per (startup, model, month).
    Recomputed from ``UsageRecord`` on every ingest and by the periodic rebuild."""

    # Indexed by the unique (startup, month, model) index, which a month range can use.
    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="usage_months", db_index=False)
    model = models.ForeignKey(AIModel, on_delete=models.PROTECT, related_name="usage_months")
    month = models.DateField(help_text="The first day of the month.")
    requests = models.BigIntegerField()
    input_tokens = models.BigIntegerField()
    output_tokens = models.BigIntegerField()
    days_reported = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["startup", "month", "model"]
        verbose_name = "monthly usage"
        verbose_name_plural = "monthly usage"
        constraints = [
            # Startup then month: a dashboard reads one startup's last months across models.
            models.UniqueConstraint(fields=["startup", "month", "model"], name="adoption_usage_monthly_unique"),
        ]
        indexes = [models.Index(fields=["month", "startup"])]

    def __str__(self) -> str:
        return f"{self.startup} {self.model} {self.month:%Y-%m}"

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


class Milestone(models.Model):
    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    description = BoundedTextField(blank=True, max_length=NOTE_TEXT)
    due_on = models.DateField()
    achieved_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["startup", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class CheckIn(models.Model):
    """A monthly progress report, scheduled when the offer is accepted."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="checkins")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="checkins")
    month = models.DateField(help_text="The first day of the month reported on.")
    due_on = models.DateField()
    progress = BoundedTextField(blank=True, max_length=LONG_TEXT)
    blockers = BoundedTextField(blank=True, max_length=NOTE_TEXT)
    metrics = models.JSONField(default=dict, blank=True, help_text="Numbers the startup tracks, as JSON.")
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["startup", "month"]
        verbose_name = "check-in"
        constraints = [
            models.UniqueConstraint(fields=["application", "month"], name="adoption_checkin_one_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.startup} — {self.month:%B %Y}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Disbursement(models.Model):
    """One payment of a benefit schedule. ``status`` changes only through
    ``adoption.services.disbursement_transition``."""

    startup = models.ForeignKey(Startup, on_delete=models.PROTECT, related_name="disbursements")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="disbursements")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="disbursements")
    benefit = models.ForeignKey(Benefit, on_delete=models.PROTECT, related_name="disbursements")
    sequence = models.PositiveSmallIntegerField(help_text="1 for the first month of the schedule.")
    month = models.DateField(help_text="The first day of the month it pays for.")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=16, choices=DisbursementStatus.choices, default=DisbursementStatus.SCHEDULED, editable=False
    )
    due_on = models.DateField()
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    paid_at = models.DateTimeField(null=True, blank=True, editable=False)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "startup", "month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "benefit", "sequence"], name="adoption_disbursement_once_per_month"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="adoption_disbursement_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=DisbursementStatus.values), name="adoption_disbursement_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=DisbursementStatus.PAID) | Q(paid_at__isnull=False),
                name="adoption_disbursement_paid_has_date",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=F("month")), name="adoption_disbursement_due_in_month"),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.startup} — {self.benefit} {self.month:%B %Y}"


class DisbursementStatusChange(models.Model):
    disbursement = models.ForeignKey(Disbursement, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=DisbursementStatus.choices)
    to_status = models.CharField(max_length=16, choices=DisbursementStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = BoundedTextField(blank=True, max_length=NOTE_TEXT)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["disbursement", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.disbursement}: {self.from_status} → {self.to_status}"
