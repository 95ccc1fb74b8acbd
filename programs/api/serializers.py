from rest_framework import serializers

from programs.models import Benefit, Cohort, EligibilityRule, Program, Question


class BenefitOutputSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False, allow_null=True)

    class Meta:
        model = Benefit
        fields = ["name", "kind", "description", "amount", "currency", "months"]


class EligibilityRuleOutputSerializer(serializers.ModelSerializer):
    sentence = serializers.CharField(source="failure_message", help_text="What a startup reads when it fails.")

    class Meta:
        model = EligibilityRule
        fields = ["field", "severity", "sentence"]


class RoundSummaryOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cohort
        fields = ["id", "name", "slug", "opens_at", "closes_at", "decision_date"]


class ProgramListOutputSerializer(serializers.ModelSerializer):
    benefits = BenefitOutputSerializer(many=True)
    open_rounds = RoundSummaryOutputSerializer(many=True, source="open_cohorts")

    class Meta:
        model = Program
        fields = ["slug", "name", "summary", "website", "benefits", "open_rounds"]


class ProgramDetailOutputSerializer(ProgramListOutputSerializer):
    eligibility_rules = EligibilityRuleOutputSerializer(many=True)

    class Meta(ProgramListOutputSerializer.Meta):
        fields = [*ProgramListOutputSerializer.Meta.fields, "description", "eligibility_summary", "eligibility_rules"]


class ProgramRefOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["slug", "name"]


class QuestionOutputSerializer(serializers.ModelSerializer):
    min_value = serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=False, allow_null=True)
    max_value = serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=False, allow_null=True)
    choices = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Question
        fields = [
            "key",
            "label",
            "help_text",
            "kind",
            "required",
            "order",
            "choices",
            "max_length",
            "min_value",
            "max_value",
        ]


class RoundListOutputSerializer(serializers.ModelSerializer):
    program = ProgramRefOutputSerializer()

    class Meta:
        model = Cohort
        fields = ["id", "program", "name", "slug", "opens_at", "closes_at", "decision_date", "capacity"]


class RoundDetailOutputSerializer(RoundListOutputSerializer):
    questions = QuestionOutputSerializer(many=True)

    class Meta(RoundListOutputSerializer.Meta):
        fields = [*RoundListOutputSerializer.Meta.fields, "questions"]
