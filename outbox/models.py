from django.conf import settings
from django.db import models
from django.db.models import Q

from outbox.enums import MessageStatus


class OutboxMessage(models.Model):
    """One e-mail to send, written in the transaction of the event that causes it.

    ``dedup_key`` names the event and recipient, so an event can produce at
    most one message each. A worker claims a row by moving it to ``sending``
    with a fresh ``claimed_at``; a ``sending`` row whose claim is older than
    ``RUNWAY_OUTBOX_LEASE_SECONDS`` belonged to a worker that died and is due again.
    """

    event = models.CharField(max_length=64)
    dedup_key = models.CharField(max_length=255, unique=True)
    # Named by string: the engine only files messages under a program for the
    # admin's filters and the webhook log, it never reads one.
    program = models.ForeignKey("programs.Program", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_email = models.EmailField()
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(max_length=300)
    body = models.TextField()
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
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notifications_due_idx")]

    def __str__(self) -> str:
        return f"{self.event} to {self.to_email}"
