"""Writes for the outbox: store messages with their event, send them, retry, sweep.

The database is the record and the broker only a doorbell: a message exists
once its event commits, whatever happens to Redis or the workers afterwards,
and the sweeper rings again for anything left behind. The engine knows no
domain: the catalog above it (``notifications``) decides what to write.
"""

import datetime
import json
import logging
import random
import smtplib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from common.errors import DomainError
from common.tasks import task_enqueue
from outbox import http, selectors, signing
from outbox.enums import Channel, MessageStatus
from outbox.errors import MessageObsolete
from outbox.models import OutboxMessage, WebhookEndpoint
from outbox.signals import endpoint_disabled

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
        OutboxMessage.objects.filter(dedup_key__in=[row.dedup_key for row in rows], status=MessageStatus.PENDING)
        # In the order they were written: the batches a webhook endpoint gets
        # must follow one another, or each waits for an older one in the next.
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        transaction.on_commit(lambda: messages_enqueue(ids=ids))
    return ids


def messages_enqueue(*, ids: Sequence[int], countdown: float | None = None) -> bool:
    """Queue the sending task for ``ids``, in batches; False when the broker
    cannot be reached, never an exception.

    Runs after commit, in the request that caused the event: a broker that is
    down must not turn a saved change into an error page. The messages stay
    pending and the sweeper queues them once the broker is back.
    """
    batch = settings.RUNWAY_OUTBOX_BATCH_SIZE
    send = current_app.tasks[SEND_TASK]
    for start in range(0, len(ids), batch):
        if not task_enqueue(send, args=[list(ids[start : start + batch])], countdown=countdown):
            logger.warning("%d outbox message(s) left for the sweeper", len(ids) - start)
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
    retries: list[tuple[int, datetime.datetime]] = field(default_factory=list)

    def failed_once(self, pk: int, retry_at: datetime.datetime | None) -> None:
        if retry_at is None:
            self.failed += 1
            return
        self.retrying += 1
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
    emails = [message for message in messages if message.channel == Channel.EMAIL]
    if emails:
        _send_emails(emails, report)
    webhooks = [message for message in messages if message.channel == Channel.WEBHOOK]
    if webhooks:
        _send_webhooks(webhooks, report)
    # Retries due together go in one task, in order: a failed delivery and the
    # ones held behind it for its endpoint stay in one worker's hands.
    due_together: dict[datetime.datetime, list[int]] = defaultdict(list)
    for pk, retry_at in report.retries:
        due_together[retry_at].append(pk)
    for retry_at, pks in due_together.items():
        countdown = max((retry_at - timezone.now()).total_seconds(), 0)
        # A worker holds a task until its countdown ends, unacknowledged: held
        # longer than RUNWAY_TASK_REDELIVERY_SECONDS, Redis hands it out again,
        # early, and again. Later retries are the sweeper's to queue once due.
        if countdown <= settings.RUNWAY_TASK_REDELIVERY_SECONDS / 2:
            messages_enqueue(ids=sorted(pks), countdown=countdown)
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


def _send_webhooks(messages: Sequence[OutboxMessage], report: SendReport) -> None:
    """Deliver ``messages`` endpoint by endpoint, oldest first.

    An endpoint gets its events in the order they happened: a message waits
    while an older one to the same endpoint is unsent, and when one fails the
    endpoint's later ones in the batch wait with it, unattempted.
    """
    now = timezone.now()
    endpoints = WebhookEndpoint.objects.in_bulk({message.endpoint_id for message in messages})
    queues: dict[int, list[OutboxMessage]] = {}
    for message in sorted(messages, key=lambda message: message.pk):
        queues.setdefault(message.endpoint_id, []).append(message)  # type: ignore[arg-type]
    for endpoint_id, queue in queues.items():
        endpoint = endpoints.get(endpoint_id)
        if endpoint is None or not endpoint.is_active:
            for message in queue:
                error = "The endpoint is switched off."
                report.failed_once(message.pk, _mark_failed(message, error=error, outcome=Outcome.GIVE_UP))
            continue
        older = selectors.webhook_oldest_unsent(endpoint_id=endpoint_id, before_pk=queue[0].pk)
        if older is not None:
            # The sweeper hands these out again once the older one is through.
            _postpone(queue, until=max(older.next_attempt_at, now) + datetime.timedelta(seconds=1))
            continue
        for position, message in enumerate(queue):
            retry_at = _deliver_webhook(endpoint, message, report)
            if retry_at is not None:
                rest = queue[position + 1 :]
                _postpone(rest, until=retry_at)
                report.retries.extend((later.pk, retry_at) for later in rest)
                break


def _postpone(messages: Sequence[OutboxMessage], *, until: datetime.datetime) -> None:
    """Give claimed messages back, due at ``until``, their claim not counted as an attempt."""
    for message in messages:
        OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING, claimed_at=message.claimed_at).update(
            status=MessageStatus.PENDING, attempts=F("attempts") - 1, next_attempt_at=until, updated_at=timezone.now()
        )


def webhook_request(
    endpoint: WebhookEndpoint, message: OutboxMessage, *, now: datetime.datetime
) -> tuple[bytes, dict[str, str]]:
    """The body and headers of one attempt of ``message``."""
    body = json.dumps(message.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(now.timestamp())
    secrets_in_use = [endpoint.secret]
    if endpoint.previous_secret and endpoint.previous_secret_expires_at and endpoint.previous_secret_expires_at > now:
        secrets_in_use.append(endpoint.previous_secret)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Runway-Webhooks/1",
        "webhook-id": message.webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signing.signature_header(
            secrets_in_use=secrets_in_use, message_id=message.webhook_id, timestamp=timestamp, body=body
        ),
    }
    return body, headers


def webhook_retry_delay(attempts: int) -> datetime.timedelta:
    """The back-off of ``retry_delay`` with jitter, so that the deliveries an
    outage held back do not all come back at the same second."""
    # Jitter, not security: the standard generator is the right tool.
    return retry_delay(attempts) * random.uniform(0.5, 1.0)  # noqa: S311


def _deliver_webhook(endpoint: WebhookEndpoint, message: OutboxMessage, report: SendReport) -> datetime.datetime | None:
    """Make one attempt; returns when to try again if it failed and will be retried."""
    body, headers = webhook_request(endpoint, message, now=timezone.now())
    try:
        reply = http.post(
            endpoint.url,
            body=body,
            headers=headers,
            timeout=settings.RUNWAY_WEBHOOK_TIMEOUT_SECONDS,
            allow_private=settings.RUNWAY_WEBHOOK_ALLOW_PRIVATE_ADDRESSES,
        )
    except http.AddressRefused as error:
        retry_at = _mark_failed(message, error=f"Refused: {error}", outcome=Outcome.GIVE_UP)
        _endpoint_failed(endpoint)
        report.failed_once(message.pk, retry_at)
        return retry_at
    except OSError as error:
        retry_at = _mark_failed(
            message,
            error=describe_error(error),
            outcome=Outcome.RETRY,
            delay=webhook_retry_delay(message.attempts),
            response_code=None,
            latency_ms=None,
        )
        _endpoint_failed(endpoint)
        report.failed_once(message.pk, retry_at)
        return retry_at
    if 200 <= reply.status < 300:
        _mark_sent(message, response_code=reply.status, latency_ms=reply.latency_ms)
        WebhookEndpoint.objects.filter(pk=endpoint.pk, consecutive_failures__gt=0).update(consecutive_failures=0)
        report.sent += 1
        return None
    retry_at = _mark_failed(
        message,
        error=f"The receiver answered {reply.status}.",
        outcome=Outcome.RETRY,
        delay=webhook_retry_delay(message.attempts),
        response_code=reply.status,
        latency_ms=reply.latency_ms,
    )
    _endpoint_failed(endpoint)
    report.failed_once(message.pk, retry_at)
    return retry_at


def _endpoint_failed(endpoint: WebhookEndpoint) -> None:
    """Count a failed attempt; the one that reaches the limit switches the
    endpoint off and tells whoever listens (the program's managers get an e-mail)."""
    now = timezone.now()
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=F("consecutive_failures") + 1)
        switched_off = WebhookEndpoint.objects.filter(
            pk=endpoint.pk, is_active=True, consecutive_failures__gte=settings.RUNWAY_WEBHOOK_DISABLE_AFTER_FAILURES
        ).update(is_active=False, disabled_at=now, updated_at=now)
        if switched_off:
            logger.warning("Webhook endpoint %s switched off after repeated failures", endpoint.pk)
            endpoint_disabled.send(sender=WebhookEndpoint, endpoint=WebhookEndpoint.objects.get(pk=endpoint.pk))


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


# --- Webhooks: what to deliver, and the endpoints -------------------------------------


def webhooks_write(
    *, program_id: int, event_type: str, key: str, data: Mapping[str, Any], occurred_at: datetime.datetime
) -> list[int]:
    """Write one delivery per active endpoint of the program that wants
    ``event_type``. Call inside the event's transaction; ``key`` names the
    event, so writing it twice delivers nothing new. ``data`` is the snapshot
    the receiver gets: ids and what they need, never a secret."""
    endpoints = [
        endpoint
        for endpoint in selectors.webhook_endpoints_active(program_id=program_id)
        if event_type in endpoint.events
    ]
    if not endpoints:
        return []
    now = timezone.now()
    payload = {"type": event_type, "timestamp": occurred_at.isoformat(), "data": dict(data)}
    rows = [
        OutboxMessage(
            channel=Channel.WEBHOOK,
            event=event_type,
            dedup_key=f"webhook:{key}:endpoint:{endpoint.pk}",
            program_id=program_id,
            endpoint=endpoint,
            payload=payload,
            next_attempt_at=now,
        )
        for endpoint in endpoints
    ]
    return messages_write(rows=rows)


def endpoint_url_check(url: str) -> None:
    """Raise a ``DomainError`` on ``url`` if the outbox could not call it."""
    try:
        http.url_parts(url)
        if not settings.RUNWAY_WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
            http.resolve(url, allow_private=False)
    except http.AddressRefused as error:
        raise DomainError(str(error), field="url", code="refused_address") from error
    except OSError:
        # A name that does not resolve yet may well tomorrow; each delivery checks again.
        pass


def endpoint_create(
    *, program_id: int, url: str, events: Sequence[str], description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Create an endpoint; returns it and its secret, which is shown this once."""
    endpoint_url_check(url)
    secret = signing.secret_generate()
    endpoint = WebhookEndpoint.objects.create(
        program_id=program_id, url=url, events=sorted(set(events)), description=description, secret=secret
    )
    return endpoint, secret


def endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    events: Sequence[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> WebhookEndpoint:
    """Change what the manager may change. Switching an endpoint back on
    clears its run of failures."""
    fields = ["updated_at"]
    if url is not None and url != endpoint.url:
        endpoint_url_check(url)
        endpoint.url = url
        fields.append("url")
    if events is not None:
        endpoint.events = sorted(set(events))
        fields.append("events")
    if description is not None:
        endpoint.description = description
        fields.append("description")
    if is_active is not None and is_active != endpoint.is_active:
        endpoint.is_active = is_active
        fields.append("is_active")
        if is_active:
            endpoint.consecutive_failures, endpoint.disabled_at = 0, None
            fields += ["consecutive_failures", "disabled_at"]
    endpoint.save(update_fields=fields)
    return endpoint


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> str:
    """Give the endpoint a new secret; the old one keeps signing alongside it
    for ``RUNWAY_WEBHOOK_SECRET_GRACE_HOURS``. Returns the new secret, shown this once."""
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        secret = signing.secret_generate()
        locked.previous_secret = locked.secret
        locked.previous_secret_expires_at = timezone.now() + datetime.timedelta(
            hours=settings.RUNWAY_WEBHOOK_SECRET_GRACE_HOURS
        )
        locked.secret = secret
        locked.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"])
    endpoint.secret, endpoint.previous_secret = locked.secret, locked.previous_secret
    endpoint.previous_secret_expires_at = locked.previous_secret_expires_at
    return secret


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


def deliveries_replay(*, endpoint: WebhookEndpoint, ids: Iterable[int]) -> int:
    """Deliver the given deliveries of ``endpoint`` again, with their
    ``webhook-id`` unchanged (receivers that saw one drop the repeat)."""
    mine = endpoint.deliveries.filter(pk__in=list(ids)).values_list("pk", flat=True)
    return messages_resend(ids=list(mine))
