"""Input and output serializers, kept apart: outputs never reach a service, inputs
only carry what a service takes."""

from dataclasses import asdict

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from applicants.models import Application
from common.fields import LONG_TEXT, NOTE_TEXT
from reviews.enums import DecisionKind, Recommendation
from reviews.models import Assignment, Decision, Offer, Review

# --- Reviewer ---------------------------------------------------------------------


def review_state(assignment: Assignment) -> str:
    review = getattr(assignment, "review", None)
    if review is None:
        return "not_started"
    return "submitted" if review.submitted_at else "draft"


class AssignmentListOutputSerializer(serializers.ModelSerializer):
    """An assignment in the reviewer's queue. ``startup_name`` is null in blind review."""

    application = serializers.IntegerField(source="application_id")
    reference = serializers.SerializerMethodField()
    startup_name = serializers.SerializerMethodField()
    program = serializers.CharField(source="application.cohort.program.name")
    cohort = serializers.CharField(source="application.cohort.name")
    blind = serializers.BooleanField(source="application.cohort.program.blind_review")
    is_overdue = serializers.BooleanField()
    review_state = serializers.SerializerMethodField()
    scored = serializers.IntegerField()
    criteria_count = serializers.IntegerField(allow_null=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "application",
            "reference",
            "startup_name",
            "program",
            "cohort",
            "blind",
            "stage",
            "due_at",
            "is_overdue",
            "review_state",
            "scored",
            "criteria_count",
        ]

    def get_reference(self, assignment: Assignment) -> str:
        return f"Application #{assignment.application_id}"

    def get_startup_name(self, assignment: Assignment) -> str | None:
        if assignment.application.cohort.program.blind_review:
            return None
        return assignment.application.startup.name

    def get_review_state(self, assignment: Assignment) -> str:
        return review_state(assignment)


class ScoreSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    value = serializers.IntegerField(allow_null=True, min_value=0)


class ReviewOutputSerializer(serializers.ModelSerializer):
    scores = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = ["id", "comment", "feedback", "recommendation", "scores", "weighted_score", "submitted_at"]

    @extend_schema_field(ScoreSerializer(many=True))
    def get_scores(self, review: Review) -> list[dict]:
        return [{"criterion": score.criterion_id, "value": score.value} for score in review.scores.all()]


class ReviewInputSerializer(serializers.Serializer):
    """Only what is given changes; a score with a null value is cleared."""

    scores = ScoreSerializer(many=True, required=False)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT)
    feedback = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT)
    recommendation = serializers.ChoiceField(choices=Recommendation.choices, required=False, allow_blank=True)

    def service_arguments(self) -> dict:
        data = self.validated_data
        arguments = {name: data[name] for name in ("comment", "feedback", "recommendation") if name in data}
        if "scores" in data:
            arguments["scores"] = {item["criterion"]: item["value"] for item in data["scores"]}
        return arguments


class CriterionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    guidance = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    scale_min = serializers.IntegerField()
    scale_max = serializers.IntegerField()


class AnswerOutputSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()
    attachment_url = serializers.CharField()
    attachment_name = serializers.CharField()


class ReviewerApplicationOutputSerializer(serializers.Serializer):
    """The application as a reviewer may read it: in blind review, without the
    startup's name, website, members, e-mail addresses or file names."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    blind = serializers.BooleanField()
    program = serializers.CharField()
    cohort = serializers.CharField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    startup_name = serializers.CharField(allow_null=True)
    startup_website = serializers.CharField(allow_null=True)
    description = serializers.CharField()
    facts = serializers.DictField(child=serializers.CharField())
    answers = AnswerOutputSerializer(many=True)

    def to_representation(self, instance) -> dict:
        data = asdict(instance)
        data["facts"] = {label: value for label, value in instance.facts if value}
        if instance.blind:
            data["startup_name"] = data["startup_website"] = None
        return super().to_representation(data)


class AssignmentDetailOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    stage = serializers.CharField()
    due_at = serializers.DateTimeField()
    review_state = serializers.CharField()
    application = ReviewerApplicationOutputSerializer()
    criteria = CriterionOutputSerializer(many=True)
    review = ReviewOutputSerializer(allow_null=True)


# --- Manager ----------------------------------------------------------------------


class RankingRowOutputSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    startup_name = serializers.CharField(source="application.startup.name")
    status = serializers.CharField(source="application.status")
    normalised_mean = serializers.FloatField(allow_null=True)
    raw_mean = serializers.FloatField(allow_null=True)
    spread = serializers.FloatField(allow_null=True)
    review_count = serializers.IntegerField()


class RoundApplicationOutputSerializer(serializers.ModelSerializer):
    startup_name = serializers.CharField(source="startup.name")
    review_count = serializers.IntegerField()

    class Meta:
        model = Application
        fields = ["id", "startup_name", "status", "is_flagged", "submitted_at", "decided_at", "review_count"]


class DecisionInputSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1)
    decision = serializers.ChoiceField(choices=DecisionKind.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_TEXT)


class BulkDecisionInputSerializer(serializers.Serializer):
    applications = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=1000, allow_empty=False
    )
    decision = serializers.ChoiceField(choices=DecisionKind.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_TEXT)


class DecisionOutputSerializer(serializers.ModelSerializer):
    actor = serializers.EmailField(source="actor.email", allow_null=True, default=None)

    class Meta:
        model = Decision
        fields = ["id", "application", "kind", "from_status", "actor", "reason", "created_at"]


class BulkOutcomeOutputSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application_id")
    ok = serializers.BooleanField()
    error = serializers.CharField()


# --- Startup ----------------------------------------------------------------------


class OfferOutputSerializer(serializers.ModelSerializer):
    startup_name = serializers.CharField(source="application.startup.name")
    program = serializers.CharField(source="application.cohort.program.name")
    cohort = serializers.CharField(source="application.cohort.name")

    class Meta:
        model = Offer
        fields = [
            "id",
            "application",
            "startup_name",
            "program",
            "cohort",
            "status",
            "expires_at",
            "created_at",
            "responded_at",
        ]


class OfferDeclineInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_TEXT)
