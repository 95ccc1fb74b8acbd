import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django_countries.fields import CountryField

from applicants.enums import EDITABLE_STATUSES, WITHDRAWABLE_STATUSES, ApplicationStatus, MemberRole
from common.dates import PastDateValidator
from common.fields import LONG_TEXT, NOTE_TEXT, BoundedTextField
from common.tokens import hash_token
from programs.models import Cohort

# Older companies exist, but none applies to a startup program: an earlier
# year is a typo.
EARLIEST_FOUNDING = datetime.date(1900, 1, 1)


class Startup(models.Model):
    """A startup's profile. Its members own it; nobody else sees it unless it applies."""

    name = models.CharField(max_length=200)
    website = models.URLField(blank=True)
    description = BoundedTextField("What you build", blank=True, max_length=LONG_TEXT)
    country = CountryField("Headquarters country", blank=True)
    incorporation_country = CountryField("Country of incorporation")
    founded_on = models.DateField(null=True, blank=True, validators=[PastDateValidator(EARLIEST_FOUNDING)])
    total_funding_usd = models.PositiveBigIntegerField(
        "Total funding raised (USD)", help_text="All equity and convertible funding raised to date."
    )
    developer_count = models.PositiveIntegerField("Developers on staff")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="StartupMember", related_name="startups")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("applicants:startup-detail", kwargs={"pk": self.pk})

    def eligibility_facts(self) -> dict[str, object]:
        """The profile as the eligibility engine reads it (``startup.<field>``)."""
        return {
            "startup.incorporation_country": str(self.incorporation_country or ""),
            "startup.country": str(self.country or ""),
            "startup.total_funding_usd": self.total_funding_usd,
            "startup.developer_count": self.developer_count,
            "startup.founded_on": self.founded_on,
        }


class StartupMember(models.Model):
    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="startup_memberships")
    role = models.CharField(max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["startup", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["startup", "user"], name="applicants_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) at {self.startup}"


# Keeps invitation tokens apart from anything else signed with the site's secret.
INVITATION_KEY_SALT = "applicants.Invitation.token"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An e-mailed invitation to join a startup. Its token is derived with the
    site's secret whenever a link is needed and never stored; the table keeps
    the token's hash to find the invitation by."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "startup",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="applicants_invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.startup}"

    def make_token(self, *, secret: str | bytes | None = None) -> str:
        """The token of the invitation's link, made with ``secret`` (by default the
        site's). The same for every call, so the link on the inviter's page and
        every e-mail sent for the invitation, retries included, is one link."""
        value = f"{self.pk}:{self.email.lower()}"
        return salted_hmac(INVITATION_KEY_SALT, value, secret=secret, algorithm="sha256").hexdigest()

    def current_token(self) -> str | None:
        """The token whose hash is stored, made with the site's secret or one of
        its fallbacks; None once the secret that made it is gone."""
        for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
            token = self.make_token(secret=secret)
            if constant_time_compare(hash_token(token), self.token_hash):
                return token
        return None

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class Application(models.Model):
    """A startup's application to one intake round. ``status`` changes only
    through ``applicants.services.application_transition``."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="applications")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, editable=False
    )
    answers = models.JSONField(default=dict, blank=True)
    eligibility = models.JSONField(
        default=dict, blank=True, editable=False, help_text="The eligibility outcome recorded at submission."
    )
    is_flagged = models.BooleanField(default=False, editable=False, help_text="A soft eligibility rule failed.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["startup", "cohort"], name="applicants_one_application_per_round"),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="applicants_application_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "status"]),
            # The managers' list of a round, newest submission first.
            models.Index(fields=["cohort", "-submitted_at", "-id"], name="applicants_round_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.startup} → {self.cohort}"

    def get_absolute_url(self) -> str:
        return reverse("applicants:application-detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def can_withdraw(self) -> bool:
        return self.status in WITHDRAWABLE_STATUSES


class ApplicationStatusChange(models.Model):
    """The history of an application: every status change, who made it and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=ApplicationStatus.choices)
    to_status = models.CharField(max_length=16, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = BoundedTextField(blank=True, max_length=NOTE_TEXT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application}: {self.from_status} → {self.to_status}"


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    # The stored name is random so that nobody can guess another startup's file;
    # the name the startup gave is kept in original_name.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    question_key = models.SlugField(max_length=64)
    file = models.FileField(upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "question_key"]
        constraints = [
            models.UniqueConstraint(fields=["application", "question_key"], name="applicants_one_file_per_question"),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("applicants:attachment-download", kwargs={"pk": self.pk})
