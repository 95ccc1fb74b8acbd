"""Writes for the outbox: create messages with their event, send them, retry, sweep.

The database is the record and the broker only a doorbell: a message exists
once its event commits, whatever happens to Redis or the workers afterwards,
and the sweeper rings again for anything left behind.
"""

import datetime
import logging
import smtplib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone, translation

from accounts.models import User
from notifications import events, rendering, selectors
from notifications.enums import MessageStatus
from notifications.models import EmailTemplate, OutboxMessage
from programs.models import Program

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str = events.DEFAULT_LANGUAGE
    user: User | None = None
    name: str = ""

    @classmethod
    def for_user(cls, user: User) -> "Recipient":
        return cls(email=user.email, language=user.language, user=user, name=user.get_full_name())


@dataclass(frozen=True)
class Draft:
    """One message to write: who gets it, the placeholder values, and the key
    that makes writing it twice a no-op. ``context`` is what the event's
    ``at_send`` placeholders are built from when the message is sent (ids,
    never a credential)."""

    recipient: Recipient
    values: Mapping[str, str]
    dedup_key: str
    context: Mapping[str, Any] = field(default_factory=dict)


def date_for(value: datetime.date | datetime.datetime | None, *, language: str, default: str = "") -> str:
    """A date as a reader of ``language`` writes it."""
    if value is None:
        return default
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    with translation.override(language):
        return formats.date_format(value, "j F Y")


def month_for(value: datetime.date, *, language: str) -> str:
    """A month as a reader of ``language`` names it: "May 2026", "mai 2026"."""
    with translation.override(language):
        return formats.date_format(value, "F Y")


def one_line(text: str) -> str:
    # Headers cannot hold newlines; a value with one would otherwise break the subject.
    return " ".join(text.split())


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential back-off after ``attempts`` failed attempts, capped."""
    base = settings.RUNWAY_OUTBOX_RETRY_BASE_SECONDS
    cap = settings.RUNWAY_OUTBOX_RETRY_MAX_SECONDS
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


# --- Templates ------------------------------------------------------------------


def templates_seed_defaults(*, using: str = "default") -> int:
    """Create the shipped template of every registered event and language that
    has none yet. Never touches a template an admin edited. Returns how many it made."""
    existing = set(EmailTemplate.objects.using(using).filter(program__isnull=True).values_list("event", "language"))
    missing = [
        EmailTemplate(event=event.key, language=language, subject=subject, body=body)
        for event in events.EVENTS.values()
        for language, (subject, body) in event.defaults.items()
        if (event.key, language) not in existing
    ]
    EmailTemplate.objects.using(using).bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def template_preview(*, event: str, subject: str, body: str) -> tuple[str, str]:
    """Render a template with the event's sample values (raises ``TemplateSyntaxError``)."""
    sample = events.get(event).sample
    return rendering.render(subject, sample), rendering.render(body, sample)


# --- Writing messages -------------------------------------------------------------


def messages_create(*, event: str, program: Program | None, drafts: Sequence[Draft]) -> list[int]:
    """Render and write one outbox row per draft, then ring the doorbell after commit.

    Call inside the transaction of the event (signal receivers are): a rollback
    takes the messages with it. A draft whose ``dedup_key`` exists already is
    skipped (``ON CONFLICT DO NOTHING``), so a repeated event writes nothing new.
    Returns the ids of the event's messages still waiting to be sent.
    """
    if not drafts:
        return []
    spec = events.get(event)
    texts = selectors.template_texts(
        event=event, program=program, languages={draft.recipient.language for draft in drafts}
    )
    now = timezone.now()
    kept = spec.at_send_names
    rows = []
    for draft in drafts:
        subject, body = texts[draft.recipient.language]
        values = {name: draft.values.get(name, "") for name in spec.placeholder_names if name not in kept}
        if kept:
            subject, body = rendering.render_except(subject, values, kept), rendering.render_except(body, values, kept)
        else:
            subject, body = rendering.render(subject, values), rendering.render(body, values)
        rows.append(
            OutboxMessage(
                event=event,
                dedup_key=draft.dedup_key,
                program=program,
                recipient=draft.recipient.user,
                to_email=draft.recipient.email,
                language=draft.recipient.language,
                subject=one_line(subject)[:300],
                body=body,
                context=dict(draft.context) if kept else None,
                next_attempt_at=now,
            )
        )
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        OutboxMessage.objects.filter(
            dedup_key__in=[draft.dedup_key for draft in drafts], status=MessageStatus.PENDING
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
    from notifications.tasks import send_messages

    batch = settings.RUNWAY_OUTBOX_BATCH_SIZE
    try:
        for start in range(0, len(ids), batch):
            send_messages.apply_async(
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


class SmtpOutcome:
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
        return (SmtpOutcome.GIVE_UP if codes and min(codes) >= 500 else SmtpOutcome.RETRY), False
    if isinstance(error, smtplib.SMTPResponseException):
        if error.smtp_code == 421:  # the server is closing the connection
            return SmtpOutcome.RETRY, True
        return (SmtpOutcome.GIVE_UP if error.smtp_code >= 500 else SmtpOutcome.RETRY), False
    if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
        return SmtpOutcome.RETRY, True
    if isinstance(error, events.MessageObsolete):
        return SmtpOutcome.GIVE_UP, False
    if isinstance(error, ValueError | UnicodeError):  # a header Django refuses to write
        return SmtpOutcome.GIVE_UP, False
    return SmtpOutcome.RETRY, True


def describe_error(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"{type(error).__name__}: {error.smtp_code} {message}"
    return f"{type(error).__name__}: {error}"


def _mark_sent(message: OutboxMessage) -> bool:
    # Only the claim that sent it may mark it: if this worker's lease ran out
    # and another claimed the row, the update matches nothing.
    now = timezone.now()
    updated = OutboxMessage.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, claimed_at=message.claimed_at
    ).update(status=MessageStatus.SENT, sent_at=now, last_error="", updated_at=now)
    if not updated:
        logger.warning("Outbox message %s was sent after its lease ran out", message.pk)
    return bool(updated)


def _mark_failed(message: OutboxMessage, *, error: str, outcome: str) -> datetime.datetime | None:
    """Record a failed attempt; returns when to try again, or None when given up."""
    now = timezone.now()
    give_up = outcome == SmtpOutcome.GIVE_UP or message.attempts >= settings.RUNWAY_OUTBOX_MAX_ATTEMPTS
    retry_at = None if give_up else now + retry_delay(message.attempts)
    OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING, claimed_at=message.claimed_at).update(
        status=MessageStatus.FAILED if give_up else MessageStatus.PENDING,
        last_error=error[:2000],
        next_attempt_at=retry_at or message.next_attempt_at,
        updated_at=now,
    )
    if give_up:
        logger.error("Gave up on outbox message %s after %d attempt(s): %s", message.pk, message.attempts, error)
    return retry_at


def as_email(message: OutboxMessage) -> EmailMessage:
    """The e-mail to send for ``message``. The links its event fills in at send
    time are built now, from the message's context, and live only in the
    e-mail; raises ``MessageObsolete`` when there is nothing left to send."""
    subject, body = message.subject, message.body
    if message.context is not None:
        build = events.SEND_TIME_VALUES.get(message.event)
        if build is None:
            raise events.MessageObsolete(f"Nothing builds the links of {message.event!r} e-mails any more.")
        values = build(message.context)
        subject, body = one_line(rendering.render(subject, values)), rendering.render(body, values)
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


def messages_send(*, ids: Iterable[int]) -> SendReport:
    """Claim the due messages among ``ids`` and send them over one SMTP connection.

    Each message is marked sent as soon as the server accepts it, so a worker
    dying mid-batch re-sends at most the one message in flight. A failed
    message is retried after an exponential back-off (a task is queued for
    then if it is soon, else the sweeper queues it once due) until
    ``RUNWAY_OUTBOX_MAX_ATTEMPTS``.
    """
    report = SendReport()
    messages = messages_claim(ids=ids, now=timezone.now())
    if not messages:
        return report
    connection = get_connection(fail_silently=False)
    retries: list[tuple[int, datetime.datetime]] = []
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
                retry_at = _mark_failed(message, error=describe_error(error), outcome=outcome)
                if retry_at is None:
                    report.failed += 1
                else:
                    report.retrying += 1
                    retries.append((message.pk, retry_at))
                continue
            _mark_sent(message)
            report.sent += 1
    finally:
        if is_open:
            _close_quietly(connection)
    for pk, retry_at in retries:
        countdown = max((retry_at - timezone.now()).total_seconds(), 0)
        # A worker holds a task until its countdown ends, unacknowledged: held
        # longer than RUNWAY_TASK_REDELIVERY_SECONDS, Redis hands it out again,
        # early, and again. Later retries are the sweeper's to queue once due.
        if countdown <= settings.RUNWAY_TASK_REDELIVERY_SECONDS / 2:
            messages_enqueue(ids=[pk], countdown=countdown)
    return report


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


# --- Digest -------------------------------------------------------------------------


def digests_create(*, now: datetime.datetime | None = None) -> int:
    """Write the day's digest for each manager of each program with news in the
    last 24 hours. Running it again the same day writes nothing new (the key
    names the program, the manager and the day). Returns how many it wrote."""
    from notifications import digest

    now = now or timezone.now()
    since = now - datetime.timedelta(days=1)
    day = timezone.localdate(now)
    written = 0
    for program in selectors.programs_with_managers():
        sections = digest.digest_sections(program, since=since, until=now)
        if not sections:
            continue
        drafts = []
        for membership in selectors.program_managers(program=program):
            recipient = Recipient.for_user(membership.user)
            drafts.append(
                Draft(
                    recipient=recipient,
                    values={
                        "recipient_name": recipient.name,
                        "program": program.name,
                        "date": date_for(day, language=recipient.language),
                        "summary": digest.summary_text(sections, language=recipient.language),
                    },
                    dedup_key=f"manager_digest:program:{program.pk}:user:{membership.user_id}:{day.isoformat()}",
                )
            )
        with transaction.atomic():
            written += len(messages_create(event=events.MANAGER_DIGEST.key, program=program, drafts=drafts))
    return written
