"""Reads for the outbox."""

import datetime

from django.conf import settings
from django.db.models import Q

from outbox.enums import MessageStatus
from outbox.models import OutboxMessage


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
