"""Input serializers check shapes and types; the services check the rules.
Output serializers only present."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from applicants.enums import MemberRole
from applicants.models import (
    Application,
    ApplicationStatusChange,
    Attachment,
    Invitation,
    Startup,
    StartupMember,
)
from applicants.services import STARTUP_FIELDS
from programs.api.serializers import ProgramRefOutputSerializer
from programs.models import Cohort

# --- Startups and members -------------------------------------------------


class StartupInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Startup
        fields = list(STARTUP_FIELDS)


class StartupOutputSerializer(serializers.ModelSerializer):
    country = serializers.CharField()
    incorporation_country = serializers.CharField()
    member_count = serializers.IntegerField(read_only=True)
    my_role = serializers.ChoiceField(choices=MemberRole.choices, read_only=True, help_text="Your role in it.")

    class Meta:
        model = Startup
        fields = [
            "id",
            "name",
            "website",
            "description",
            "country",
            "incorporation_country",
            "founded_on",
            "total_funding_usd",
            "developer_count",
            "member_count",
            "my_role",
            "created_at",
            "updated_at",
        ]


class StartupRefOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Startup
        fields = ["id", "name"]


class UserRefOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class MemberOutputSerializer(serializers.ModelSerializer):
    user = UserRefOutputSerializer()

    class Meta:
        model = StartupMember
        fields = ["id", "user", "role", "joined_at"]


class InvitationInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=MemberRole.choices, default=MemberRole.MEMBER)


class InvitationOutputSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "state", "created_at", "expires_at", "accepted_at", "revoked_at"]

    @extend_schema_field(serializers.ChoiceField(choices=["pending", "accepted", "revoked", "expired"]))
    def get_state(self, invitation: Invitation) -> str:
        if invitation.accepted_at:
            return "accepted"
        if invitation.revoked_at:
            return "revoked"
        return "pending" if invitation.expires_at > timezone.now() else "expired"


# --- Applications ---------------------------------------------------------


class RoundRefOutputSerializer(serializers.ModelSerializer):
    program = ProgramRefOutputSerializer()

    class Meta:
        model = Cohort
        fields = ["id", "name", "program", "closes_at"]


class ApplicationCreateInputSerializer(serializers.Serializer):
    startup = serializers.PrimaryKeyRelatedField(queryset=Startup.objects.none(), help_text="One of your startups.")
    round = serializers.PrimaryKeyRelatedField(queryset=Cohort.objects.select_related("program"))

    def __init__(self, *args, startups=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if startups is not None:
            self.fields["startup"].queryset = startups


class ApplicationAnswersInputSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        default=dict,
        help_text="Question key → answer. Given keys are merged into the draft; null or blank clears one.",
    )


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class EligibilityOutcomeOutputSerializer(serializers.Serializer):
    rule_id = serializers.IntegerField(allow_null=True)
    field = serializers.CharField()
    passed = serializers.BooleanField()
    severity = serializers.CharField()
    message = serializers.CharField(help_text="Why it failed; blank when it passed.")
    missing = serializers.BooleanField(help_text="The fact the rule tests was not given.")


class SelfNamingOutputSerializer(serializers.Serializer):
    question_key = serializers.CharField()
    terms = serializers.ListField(child=serializers.CharField(), help_text="The words found, as written.")


class EligibilityOutputSerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    flagged = serializers.BooleanField(help_text="A soft rule failed: managers will look closer.")
    outcomes = EligibilityOutcomeOutputSerializer(many=True)
    names_itself = SelfNamingOutputSerializer(
        many=True,
        help_text="In a program that reviews blind, the answers that name the startup, its website or its "
        "people: reviewers get them with those words hidden. Empty otherwise.",
    )


class AttachmentOutputSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "question_key", "original_name", "content_type", "size", "created_at", "download_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, attachment: Attachment) -> str:
        path = reverse(
            "applicants-api:attachment-download",
            kwargs={"application_pk": attachment.application_id, "pk": attachment.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class AttachmentUploadInputSerializer(serializers.Serializer):
    question_key = serializers.SlugField(max_length=64, help_text="The key of a file question.")
    file = serializers.FileField(help_text="PDF, PNG or JPEG, at most 10 MB.")


class ApplicationOutputSerializer(serializers.ModelSerializer):
    startup = StartupRefOutputSerializer()
    round = RoundRefOutputSerializer(source="cohort")

    class Meta:
        model = Application
        fields = ["id", "startup", "round", "status", "created_at", "updated_at", "submitted_at", "decided_at"]


class ApplicationDetailOutputSerializer(ApplicationOutputSerializer):
    answers = serializers.DictField(child=serializers.JSONField())
    eligibility = serializers.SerializerMethodField(help_text="Recorded at submission; null before.")
    attachments = AttachmentOutputSerializer(many=True)

    class Meta(ApplicationOutputSerializer.Meta):
        fields = [*ApplicationOutputSerializer.Meta.fields, "answers", "eligibility", "attachments"]

    @extend_schema_field(EligibilityOutputSerializer(allow_null=True))
    def get_eligibility(self, application: Application) -> dict | None:
        return application.eligibility or None


class StatusChangeOutputSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationStatusChange
        fields = ["id", "from_status", "to_status", "actor_name", "reason", "created_at"]

    @extend_schema_field(serializers.CharField(help_text="Who made the change; blank when the system did."))
    def get_actor_name(self, change: ApplicationStatusChange) -> str:
        return change.actor.full_name if change.actor else ""
