"""Reads for the outbox."""

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet

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


def webhook_endpoint_get(*, program_id: int, pk: int) -> WebhookEndpoint | None:
    return WebhookEndpoint.objects.filter(program_id=program_id, pk=pk).first()


def webhook_delivery_list(*, endpoint: WebhookEndpoint) -> QuerySet[OutboxMessage]:
    """The endpoint's delivery log, newest first."""
    return endpoint.deliveries.order_by("-created_at", "-pk")
