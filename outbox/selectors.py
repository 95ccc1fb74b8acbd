"""Reads for the outbox."""

import datetime

from django.conf import settings
from django.db.models import Avg, Count, Min, Q, QuerySet

from outbox.enums import MessageStatus
from outbox.models import OutboxMessage, WebhookEndpoint


def due_messages_q(*, now: datetime.datetime) -> Q:
    """Messages a worker may claim: pending and due, or claimed by a worker
    whose lease ran out (it died, or the broker lost its task)."""
    stale = now - datetime.timedelta(seconds=settings.RUNWAY_OUTBOX_LEASE_SECONDS)
    return Q(status=MessageStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=MessageStatus.SENDING, claimed_at__lt=stale
    )


def message_ids_due(*, now: datetime.datetime, limit: int) -> list[int]:
    return list(
        OutboxMessage.objects.filter(due_messages_q(now=now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def webhook_oldest_unsent(*, endpoint_id: int, before_pk: int) -> OutboxMessage | None:
    """The oldest delivery to the endpoint made before ``before_pk`` and not
    through yet: those after it wait for it."""
    return (
        OutboxMessage.objects.filter(
            endpoint_id=endpoint_id, pk__lt=before_pk, status__in=[MessageStatus.PENDING, MessageStatus.SENDING]
        )
        .order_by("pk")
        .only("pk", "next_attempt_at")
        .first()
    )


def webhook_endpoints_active(*, program_id: int) -> list[WebhookEndpoint]:
    return list(WebhookEndpoint.objects.filter(program_id=program_id, is_active=True).order_by("pk"))


def webhook_endpoint_list(*, program_id: int) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(program_id=program_id).order_by("created_at", "pk")


def webhook_delivery_list(*, endpoint: WebhookEndpoint) -> QuerySet[OutboxMessage]:
    """The endpoint's delivery log, newest first."""
    return endpoint.deliveries.order_by("-created_at", "-pk")


def outbox_metrics(*, now: datetime.datetime) -> dict[str, object]:
    """What an operator watches: messages by channel and status, how late the
    oldest due message is, and the last hour's webhook attempts (a sent
    delivery's latency; how many still wait for a retry)."""
    by_status = {
        f"{row['channel']}.{row['status']}": row["count"]
        for row in OutboxMessage.objects.values("channel", "status").annotate(count=Count("pk")).order_by()
    }
    oldest_due = OutboxMessage.objects.filter(due_messages_q(now=now)).aggregate(at=Min("next_attempt_at"))["at"]
    hour = OutboxMessage.objects.filter(channel="webhook", updated_at__gte=now - datetime.timedelta(hours=1))
    webhooks = hour.aggregate(
        sent=Count("pk", filter=Q(status=MessageStatus.SENT)),
        retrying=Count("pk", filter=Q(status=MessageStatus.PENDING, attempts__gt=0)),
        failed=Count("pk", filter=Q(status=MessageStatus.FAILED)),
        mean_latency_ms=Avg("latency_ms", filter=Q(status=MessageStatus.SENT)),
    )
    return {
        "messages": by_status,
        "oldest_due_seconds": round((now - oldest_due).total_seconds(), 1) if oldest_due else 0.0,
        "webhooks_last_hour": webhooks,
        "endpoints_switched_off": WebhookEndpoint.objects.filter(is_active=False, disabled_at__isnull=False).count(),
    }
