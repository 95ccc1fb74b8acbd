import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q

from outbox.enums import Channel, MessageStatus


class OutboxMessage(models.Model):
    """One e-mail or webhook delivery to make, written in the transaction of
    the event that causes it.

    ``dedup_key`` names the event and recipient, so an event can produce at
    most one message each. A worker claims a row by moving it to ``sending``
    with a fresh ``claimed_at``; a ``sending`` row whose claim is older than
    ``RUNWAY_OUTBOX_LEASE_SECONDS`` belonged to a worker that died and is due again.
    """

    event = models.CharField(max_length=64)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    dedup_key = models.CharField(max_length=255, unique=True)
    # Named by string: the engine only files messages under a program for the
    # admin's filters and the webhook log, it never reads one.
    program = models.ForeignKey("programs.Program", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_email = models.EmailField(blank=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    endpoint = models.ForeignKey(
        "WebhookEndpoint", on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    # A webhook's envelope: the event type, when it happened, and a snapshot
    # of what the receiver needs. Never a secret.
    payload = models.JSONField(null=True, blank=True, editable=False)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    # Null when subject and body are final. Otherwise they are templates that
    # still hold the event's at_send placeholders (links carrying a
    # credential), and this names what the sending step builds them from.
    context = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="What the links filled in at send time are built from (ids only: the links are never stored).",
    )
    status = models.CharField(max_length=8, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table predates this app: it was created by notifications' migrations.
        db_table = "notifications_outboxmessage"
        verbose_name = "outbox message"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MessageStatus.values), name="notifications_message_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=MessageStatus.SENT) | Q(sent_at__isnull=False),
                name="notifications_message_sent_has_sent_at",
            ),
            models.CheckConstraint(
                condition=~Q(status=MessageStatus.SENDING) | Q(claimed_at__isnull=False),
                name="notifications_message_sending_is_claimed",
            ),
            models.CheckConstraint(
                condition=~Q(channel=Channel.WEBHOOK) | Q(endpoint__isnull=False, payload__isnull=False),
                name="outbox_webhook_has_endpoint_and_payload",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notifications_due_idx"),
            models.Index(fields=["endpoint", "status", "id"], name="outbox_endpoint_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.to_email or self.endpoint_id}"

    @property
    def webhook_id(self) -> str:
        """The ``webhook-id`` of every attempt of this delivery: receivers
        drop a repeat by it. Derived from the key, so it survives a replay."""
        return "msg_" + hashlib.sha256(self.dedup_key.encode()).hexdigest()[:32]


class WebhookEndpoint(models.Model):
    """A URL a program's integration listens on, and the events it wants.

    The secret signs every delivery and is shown once, when made. While a
    rotated-out secret is still in its grace period, deliveries carry a
    signature by each, so the receiver can switch at its own pace. After
    ``RUNWAY_WEBHOOK_DISABLE_AFTER_FAILURES`` failed attempts in a row the
    endpoint is switched off.
    """

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    # Event type names ("application.accepted"); the catalog above the engine lists them.
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=100, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.url
