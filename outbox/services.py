"""Writes for the outbox: store messages with their event, send them, retry, sweep.

The database is the record and the broker only a doorbell: a message exists
once its event commits, whatever happens to Redis or the workers afterwards,
and the sweeper rings again for anything left behind. The engine knows no
domain: the catalog above it (``notifications``) decides what to write.
"""

import datetime
import logging
import smtplib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox import selectors
from outbox.enums import MessageStatus
from outbox.errors import MessageObsolete
from outbox.models import OutboxMessage

logger = logging.getLogger(__name__)

# By name: the tasks import these services, never the other way round.
SEND_TASK = "outbox.send_messages"

# Takes an e-mail's event, subject, body and context and returns the final
# subject and body, or raises MessageObsolete. Registered per event by the
# catalog for the e-mails whose text holds values built only when sent.
EmailFinisher = Callable[[str, str, str, Mapping[str, Any]], tuple[str, str]]
EMAIL_FINISHERS: dict[str, EmailFinisher] = {}


def email_finisher_register(*, event: str, finish: EmailFinisher) -> None:
    if event in EMAIL_FINISHERS and EMAIL_FINISHERS[event] is not finish:
        raise ValueError(f"event {event!r} has two e-mail finishers")
    EMAIL_FINISHERS[event] = finish


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential back-off after ``attempts`` failed attempts, capped."""
    base = settings.RUNWAY_OUTBOX_RETRY_BASE_SECONDS
    cap = settings.RUNWAY_OUTBOX_RETRY_MAX_SECONDS
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


# --- Writing ------------------------------------------------------------------------


def messages_write(*, rows: Sequence[OutboxMessage]) -> list[int]:
    """Write ``rows`` and ring the doorbell after commit.

    Call inside the transaction of the event: a rollback takes the messages
    with it. A row whose ``dedup_key`` exists already is skipped (``ON
    CONFLICT DO NOTHING``), so a repeated event writes nothing new. Returns the
    ids of the rows' messages still waiting to be sent.
    """
    if not rows:
        return []
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        OutboxMessage.objects.filter(
            dedup_key__in=[row.dedup_key for row in rows], status=MessageStatus.PENDING
        ).values_list("pk", flat=True)
    )
    if ids:
        transaction.on_commit(lambda: messages_enqueue(ids=ids))
    return ids


def messages_enqueue(*, ids: Sequence[int], countdown: float | None = None) -> bool:
    """Queue the sending task for ``ids``, in batches. Never raises.

    Runs after commit, in the request that caused the event: a broker that is
    down must not turn a saved change into an error page. The messages stay
    pending and the sweeper queues them once the broker is back.
    """
    batch = settings.RUNWAY_OUTBOX_BATCH_SIZE
    try:
        send = current_app.tasks[SEND_TASK]
        for start in range(0, len(ids), batch):
            send.apply_async(
                args=[list(ids[start : start + batch])],
                countdown=countdown,
                retry=True,
                retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
            )
    except Exception:
        logger.warning("Could not queue %d outbox message(s); the sweeper will", len(ids), exc_info=True)
        return False
    return True


# --- Sending ----------------------------------------------------------------------


def messages_claim(*, ids: Iterable[int], now: datetime.datetime) -> list[OutboxMessage]:
    """Move the due messages among ``ids`` to ``sending``, stamped ``now``.

    Rows another worker holds locked are skipped, not waited for, and a row
    already sent, failed, claimed under a live lease, or not due yet is left
    alone: two workers never hold the same message.
    """
    with transaction.atomic():
        claimable = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(selectors.due_messages_q(now=now), pk__in=list(ids))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not claimable:
            return []
        OutboxMessage.objects.filter(pk__in=claimable).update(
            status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
        )
    return list(OutboxMessage.objects.filter(pk__in=claimable, claimed_at=now).order_by("pk"))


class Outcome:
    SENT = "sent"
    RETRY = "retry"
    GIVE_UP = "give_up"


def classify_error(error: BaseException) -> tuple[str, bool]:
    """``(outcome, connection_broken)`` for an error raised while sending.

    A 5xx reply is the server's final word (bad address, message refused), a
    4xx reply a request to come back later; a network error or a dropped
    connection is transient and the connection must be opened again.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return (Outcome.GIVE_UP if codes and min(codes) >= 500 else Outcome.RETRY), False
    if isinstance(error, smtplib.SMTPResponseException):
        if error.smtp_code == 421:  # the server is closing the connection
            return Outcome.RETRY, True
        return (Outcome.GIVE_UP if error.smtp_code >= 500 else Outcome.RETRY), False
    if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
        return Outcome.RETRY, True
    if isinstance(error, MessageObsolete):
        return Outcome.GIVE_UP, False
    if isinstance(error, ValueError | UnicodeError):  # a header Django refuses to write
        return Outcome.GIVE_UP, False
    return Outcome.RETRY, True


def describe_error(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"{type(error).__name__}: {error.smtp_code} {message}"
    return f"{type(error).__name__}: {error}"


def _mark_sent(message: OutboxMessage, **fields: Any) -> bool:
    # Only the claim that sent it may mark it: if this worker's lease ran out
    # and another claimed the row, the update matches nothing.
    now = timezone.now()
    updated = OutboxMessage.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, claimed_at=message.claimed_at
    ).update(status=MessageStatus.SENT, sent_at=now, last_error="", updated_at=now, **fields)
    if not updated:
        logger.warning("Outbox message %s was sent after its lease ran out", message.pk)
    return bool(updated)


def _mark_failed(
    message: OutboxMessage, *, error: str, outcome: str, delay: datetime.timedelta | None = None, **fields: Any
) -> datetime.datetime | None:
    """Record a failed attempt; returns when to try again, or None when given up."""
    now = timezone.now()
    give_up = outcome == Outcome.GIVE_UP or message.attempts >= settings.RUNWAY_OUTBOX_MAX_ATTEMPTS
    retry_at = None if give_up else now + (delay if delay is not None else retry_delay(message.attempts))
    OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING, claimed_at=message.claimed_at).update(
        status=MessageStatus.FAILED if give_up else MessageStatus.PENDING,
        last_error=error[:2000],
        next_attempt_at=retry_at or message.next_attempt_at,
        updated_at=now,
        **fields,
    )
    if give_up:
        logger.error("Gave up on outbox message %s after %d attempt(s): %s", message.pk, message.attempts, error)
    return retry_at


def as_email(message: OutboxMessage) -> EmailMessage:
    """The e-mail to send for ``message``. A message with a context has its
    text finished now by its event's finisher (the links it builds live only
    in the e-mail); raises ``MessageObsolete`` when there is nothing left to send."""
    subject, body = message.subject, message.body
    if message.context is not None:
        finish = EMAIL_FINISHERS.get(message.event)
        if finish is None:
            raise MessageObsolete(f"Nothing builds the links of {message.event!r} e-mails any more.")
        subject, body = finish(message.event, subject, body, message.context)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers={"X-Runway-Message": message.dedup_key},
    )


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    retries: list[tuple[int, datetime.datetime]] | None = None

    def failed_once(self, pk: int, retry_at: datetime.datetime | None) -> None:
        if retry_at is None:
            self.failed += 1
            return
        self.retrying += 1
        if self.retries is None:
            self.retries = []
        self.retries.append((pk, retry_at))


def messages_send(*, ids: Iterable[int]) -> SendReport:
    """Claim the due messages among ``ids`` and send them.

    Each message is marked sent as soon as it is delivered, so a worker dying
    mid-batch re-sends at most the one message in flight. A failed message is
    retried after an exponential back-off (a task is queued for then if it is
    soon, else the sweeper queues it once due) until ``RUNWAY_OUTBOX_MAX_ATTEMPTS``.
    """
    report = SendReport()
    messages = messages_claim(ids=ids, now=timezone.now())
    if not messages:
        return report
    _send_emails(messages, report)
    for pk, retry_at in report.retries or []:
        countdown = max((retry_at - timezone.now()).total_seconds(), 0)
        # A worker holds a task until its countdown ends, unacknowledged: held
        # longer than RUNWAY_TASK_REDELIVERY_SECONDS, Redis hands it out again,
        # early, and again. Later retries are the sweeper's to queue once due.
        if countdown <= settings.RUNWAY_TASK_REDELIVERY_SECONDS / 2:
            messages_enqueue(ids=[pk], countdown=countdown)
    return report


def _send_emails(messages: Sequence[OutboxMessage], report: SendReport) -> None:
    """Send ``messages`` over one SMTP connection, reopened after a broken one."""
    connection = get_connection(fail_silently=False)
    is_open = False
    try:
        for message in messages:
            try:
                if not is_open:
                    connection.open()
                    is_open = True
                connection.send_messages([as_email(message)])
            except Exception as error:
                outcome, broken = classify_error(error)
                if broken and is_open:
                    _close_quietly(connection)
                    is_open = False
                report.failed_once(message.pk, _mark_failed(message, error=describe_error(error), outcome=outcome))
                continue
            _mark_sent(message)
            report.sent += 1
    finally:
        if is_open:
            _close_quietly(connection)


def _close_quietly(connection: object) -> None:
    try:
        connection.close()  # type: ignore[attr-defined]
    except Exception:
        logger.debug("Closing the SMTP connection failed", exc_info=True)


def outbox_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue every message that is due: left pending (the broker was down
    when its event committed), due for a retry, or claimed by a worker that
    died. Queuing one twice is harmless: only one claim wins."""
    ids = selectors.message_ids_due(now=now or timezone.now(), limit=settings.RUNWAY_OUTBOX_SWEEP_LIMIT)
    if ids:
        messages_enqueue(ids=ids)
    return len(ids)


@transaction.atomic
def messages_resend(*, ids: Iterable[int]) -> int:
    """Send the given messages again, from the admin: failed ones after their
    last attempt, or sent ones someone says never arrived. A message being
    sent right now is left alone. Returns how many were queued."""
    now = timezone.now()
    chosen = list(
        OutboxMessage.objects.select_for_update()
        .filter(pk__in=list(ids))
        .exclude(status=MessageStatus.SENDING)
        .values_list("pk", flat=True)
    )
    OutboxMessage.objects.filter(pk__in=chosen).update(
        status=MessageStatus.PENDING, attempts=0, next_attempt_at=now, claimed_at=None, sent_at=None, updated_at=now
    )
    if chosen:
        transaction.on_commit(lambda: messages_enqueue(ids=chosen))
    return len(chosen)
