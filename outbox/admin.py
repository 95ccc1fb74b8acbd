from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from common.admin import ServiceOwnedAdmin, ViewOnlyAdmin
from outbox import services
from outbox.models import OutboxMessage, WebhookEndpoint

MESSAGE_FIELDS: list[str] = [
    "event",
    "channel",
    "endpoint",
    "dedup_key",
    "program",
    "recipient",
    "to_email",
    "language",
    "subject",
    "body",
    "context",
    "payload",
    "status",
    "attempts",
    "last_error",
    "response_code",
    "latency_ms",
    "next_attempt_at",
    "claimed_at",
    "sent_at",
    "created_at",
    "updated_at",
]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ServiceOwnedAdmin):
    """Messages come from events only (a hand-written one would have no key) and
    stay as the record of what was sent; "Send again" goes through the service."""

    list_display = ["to_email", "event", "program", "status", "attempts", "short_error", "next_attempt_at", "sent_at"]
    list_filter = ["channel", "status", "event", "language", "program"]
    search_fields = ["to_email", "subject", "dedup_key", "last_error"]
    list_select_related = ["program"]
    raw_id_fields = ["endpoint"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    fields = MESSAGE_FIELDS
    readonly_fields = MESSAGE_FIELDS

    @admin.display(description="Last error")
    def short_error(self, obj: OutboxMessage) -> str:
        return obj.last_error[:80]

    @admin.action(description="Send the selected messages again", permissions=["change"])
    def resend(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = services.messages_resend(ids=queryset.values_list("pk", flat=True))
        skipped = queryset.count() - count
        self.message_user(request, f"{count} message(s) queued to be sent again.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} message(s) are being sent right now and were left alone.")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ViewOnlyAdmin):
    """Managers keep their endpoints in the portal; here they are shown, their secrets never."""

    list_display = ["url", "program", "is_active", "consecutive_failures", "disabled_at", "created_at"]
    list_filter = ["is_active", "program"]
    search_fields = ["url", "description"]
    list_select_related = ["program"]
    fields = [
        "program", "url", "description", "events", "is_active", "consecutive_failures",
        "disabled_at", "previous_secret_expires_at", "created_at", "updated_at",
    ]  # fmt: skip
