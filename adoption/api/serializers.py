"""Output serializers, and input serializers used only to document the API:
a usage batch is validated in plain Python by ``adoption.ingest``."""

from rest_framework import serializers

from adoption.models import EARLIEST_USAGE_DAY, USAGE_MAX_PER_DAY, Deployment, UsageRecord


class UsageRecordInputSerializer(serializers.Serializer):
    model = serializers.CharField(help_text="A model's slug from the catalog, e.g. llama-3.1-8b.")
    date = serializers.DateField(
        help_text=f"The UTC day, YYYY-MM-DD: from {EARLIEST_USAGE_DAY:%Y} to at most a day after today in UTC."
    )
    requests = serializers.IntegerField(min_value=0, max_value=USAGE_MAX_PER_DAY)
    input_tokens = serializers.IntegerField(min_value=0, max_value=USAGE_MAX_PER_DAY)
    output_tokens = serializers.IntegerField(min_value=0, max_value=USAGE_MAX_PER_DAY)


class UsageBatchInputSerializer(serializers.Serializer):
    records = UsageRecordInputSerializer(many=True, help_text="Up to 10,000 records. A bare list is accepted too.")


class RecordErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The record's position in the batch, from 0.")
    field = serializers.CharField()
    reason = serializers.CharField()


class UsageIngestOutputSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    stored = serializers.IntegerField(help_text="Good records now stored (0 when an atomic batch had an error).")
    written = serializers.IntegerField(help_text="Rows inserted or changed; a batch sent again writes none.")
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField(help_text="Bad records, each listed in errors.")
    errors = RecordErrorSerializer(many=True)


class UsageRecordOutputSerializer(serializers.ModelSerializer):
    model = serializers.CharField(source="model.slug")

    class Meta:
        model = UsageRecord
        fields = ["model", "date", "requests", "input_tokens", "output_tokens", "updated_at"]


class DeploymentOutputSerializer(serializers.ModelSerializer):
    startup = serializers.CharField(source="startup.name")
    model = serializers.CharField(source="model.slug")

    class Meta:
        model = Deployment
        fields = [
            "id",
            "startup",
            "model",
            "environment",
            "cloud_provider",
            "stage",
            "use_case",
            "started_on",
            "production_since",
            "ended_on",
        ]
