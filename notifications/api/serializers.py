"""Input serializers check shapes and types; the services check the rules.
Output serializers only present."""

from rest_framework import serializers

from common.text import StorableTextValidator
from notifications.webhooks import event_type_choices
from outbox.models import OutboxMessage, WebhookEndpoint


class WebhookEndpointInputSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000, validators=[StorableTextValidator()])
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=event_type_choices()), allow_empty=False, max_length=20
    )
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", validators=[StorableTextValidator()]
    )
    is_active = serializers.BooleanField(required=False)


class WebhookEndpointOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "is_active",
            "consecutive_failures",
            "disabled_at",
            "previous_secret_expires_at",
            "created_at",
            "updated_at",
        ]


class WebhookEndpointWithSecretOutputSerializer(WebhookEndpointOutputSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown this once: keep it to check the signatures.")

    class Meta(WebhookEndpointOutputSerializer.Meta):
        fields = [*WebhookEndpointOutputSerializer.Meta.fields, "secret"]


class SecretOutputSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="Shown this once. The previous secret still signs until it expires.")
    previous_secret_expires_at = serializers.DateTimeField()


class WebhookDeliveryOutputSerializer(serializers.ModelSerializer):
    webhook_id = serializers.CharField(read_only=True, help_text="The webhook-id header of every attempt.")
    event_type = serializers.CharField(source="event", read_only=True)

    class Meta:
        model = OutboxMessage
        fields = [
            "id",
            "webhook_id",
            "event_type",
            "status",
            "attempts",
            "response_code",
            "latency_ms",
            "last_error",
            "next_attempt_at",
            "sent_at",
            "created_at",
            "payload",
        ]
