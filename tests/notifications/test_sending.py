import datetime

import pytest
from celery.signals import task_prerun
from django.core import mail
from django.utils import timezone

from outbox import services, tasks
from outbox.enums import MessageStatus
from outbox.models import OutboxMessage
from tests.factories import OutboxMessageFactory
from tests.notifications.backends import RefusingBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusing_smtp(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    RefusingBackend.refusals, RefusingBackend.code = 0, 451
    yield RefusingBackend
    RefusingBackend.refusals, RefusingBackend.code = 0, 451


def status_of(message):
    message.refresh_from_db()
    return message.status


def test_send_marks_the_message_sent():
    message = OutboxMessageFactory(subject="Hello there")

    report = services.messages_send(ids=[message.pk])

    message.refresh_from_db()
    assert (report.sent, message.status, message.attempts) == (1, MessageStatus.SENT, 1)
    assert message.sent_at is not None
    assert [email.subject for email in mail.outbox] == ["Hello there"]


def test_sending_twice_sends_once():
    message = OutboxMessageFactory()

    tasks.send_messages.delay([message.pk])
    tasks.send_messages.delay([message.pk])

    assert len(mail.outbox) == 1


def test_send_for_a_deleted_message_does_nothing():
    report = services.messages_send(ids=[987654])

    assert (report.sent, report.failed, mail.outbox) == (0, 0, [])


def test_send_sends_a_batch_over_one_connection(monkeypatch):
    messages = OutboxMessageFactory.create_batch(3)
    opened = []
    original_open = mail.backends.locmem.EmailBackend.open
    monkeypatch.setattr(mail.backends.locmem.EmailBackend, "open", lambda self: opened.append(1) or original_open(self))

    services.messages_send(ids=[message.pk for message in messages])

    assert (len(opened), len(mail.outbox)) == (1, 3)


def test_claim_skips_a_message_another_worker_holds():
    message = OutboxMessageFactory(status=MessageStatus.SENDING, claimed_at=timezone.now())

    claimed = services.messages_claim(ids=[message.pk], now=timezone.now())

    assert claimed == []


def test_claim_takes_a_message_whose_lease_ran_out(settings):
    settings.RUNWAY_OUTBOX_LEASE_SECONDS = 60
    message = OutboxMessageFactory(
        status=MessageStatus.SENDING, attempts=1, claimed_at=timezone.now() - datetime.timedelta(seconds=61)
    )

    claimed = services.messages_claim(ids=[message.pk], now=timezone.now())

    assert [(row.pk, row.status, row.attempts) for row in claimed] == [(message.pk, MessageStatus.SENDING, 2)]


def test_claim_skips_a_retry_not_due_yet():
    message = OutboxMessageFactory(next_attempt_at=timezone.now() + datetime.timedelta(minutes=1))

    assert services.messages_claim(ids=[message.pk], now=timezone.now()) == []


def test_sweeper_sends_pending_and_stale_messages_only(settings):
    settings.RUNWAY_OUTBOX_LEASE_SECONDS = 60
    now = timezone.now()
    pending = OutboxMessageFactory()
    stale = OutboxMessageFactory(status=MessageStatus.SENDING, claimed_at=now - datetime.timedelta(seconds=61))
    fresh = OutboxMessageFactory(status=MessageStatus.SENDING, claimed_at=now - datetime.timedelta(seconds=5))
    later = OutboxMessageFactory(next_attempt_at=now + datetime.timedelta(minutes=5))
    sent = OutboxMessageFactory(status=MessageStatus.SENT, sent_at=now)
    failed = OutboxMessageFactory(status=MessageStatus.FAILED)

    queued = tasks.sweep_outbox.delay().get()

    assert queued == 2
    assert sorted(email.subject for email in mail.outbox) == sorted([pending.subject, stale.subject])
    assert [status_of(m) for m in (fresh, later, sent, failed)] == [
        MessageStatus.SENDING,
        MessageStatus.PENDING,
        MessageStatus.SENT,
        MessageStatus.FAILED,
    ]


def test_sweeper_is_scheduled_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-outbox"]

    assert entry["task"] == tasks.sweep_outbox.name
    assert str(entry["schedule"]) == "<crontab: * * * * * (m/h/dM/MY/d)>"


def test_back_off_doubles_up_to_the_cap(settings):
    settings.RUNWAY_OUTBOX_RETRY_BASE_SECONDS = 60
    settings.RUNWAY_OUTBOX_RETRY_MAX_SECONDS = 3600

    delays = [services.retry_delay(attempts).total_seconds() for attempts in range(1, 9)]

    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_temporary_refusal_schedules_a_retry(refusing_smtp, settings):
    settings.RUNWAY_OUTBOX_RETRY_BASE_SECONDS = 60
    refusing_smtp.refusals = 1
    message = OutboxMessageFactory()
    before = timezone.now()

    report = services.messages_send(ids=[message.pk])

    message.refresh_from_db()
    assert (report.retrying, message.status, message.attempts) == (1, MessageStatus.PENDING, 1)
    assert message.last_error == "SMTPDataError: 451 Try again later"
    assert (
        before + datetime.timedelta(seconds=60)
        <= message.next_attempt_at
        <= timezone.now() + datetime.timedelta(seconds=60)
    )


def sending_tasks_run_during(call) -> list[list[int]]:
    """The ids each ``send_messages`` task was given while ``call`` ran (tasks run inline here)."""
    given: list[list[int]] = []

    def record(sender, args, **kwargs):
        if sender.name == tasks.send_messages.name:
            given.append(args[0])

    task_prerun.connect(record)
    try:
        call()
    finally:
        task_prerun.disconnect(record)
    return given


@pytest.mark.parametrize(
    ("back_off", "queued"),
    [(60, True), (3600, False)],
    ids=["due-soon-queued", "due-after-redelivery-left-to-the-sweeper"],
)
def test_temporary_refusal_queues_a_task_only_for_a_retry_due_within_half_the_redelivery_time(
    refusing_smtp, settings, back_off, queued
):
    settings.RUNWAY_OUTBOX_RETRY_BASE_SECONDS = back_off
    settings.RUNWAY_TASK_REDELIVERY_SECONDS = 420
    refusing_smtp.refusals = 1
    message = OutboxMessageFactory()

    given = sending_tasks_run_during(lambda: services.messages_send(ids=[message.pk]))

    message.refresh_from_db()
    assert (given, message.status) == ([[message.pk]] if queued else [], MessageStatus.PENDING)


def test_retry_after_the_back_off_delivers_and_clears_the_error(refusing_smtp):
    refusing_smtp.refusals = 1
    message = OutboxMessageFactory()
    services.messages_send(ids=[message.pk])
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())

    services.messages_send(ids=[message.pk])

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error, len(mail.outbox)) == (MessageStatus.SENT, 2, "", 1)


def test_permanent_refusal_fails_at_once(refusing_smtp):
    refusing_smtp.refusals, refusing_smtp.code = 1, 550
    message = OutboxMessageFactory()

    report = services.messages_send(ids=[message.pk])

    message.refresh_from_db()
    assert (report.failed, message.status, message.attempts) == (1, MessageStatus.FAILED, 1)


def test_gives_up_after_the_last_attempt(refusing_smtp, settings):
    settings.RUNWAY_OUTBOX_MAX_ATTEMPTS = 3
    refusing_smtp.refusals = 1
    message = OutboxMessageFactory(attempts=2)

    services.messages_send(ids=[message.pk])

    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 3)


def test_one_refused_message_does_not_stop_the_batch(refusing_smtp):
    refusing_smtp.refusals = 1
    first, second = OutboxMessageFactory.create_batch(2)

    report = services.messages_send(ids=[first.pk, second.pk])

    assert (report.retrying, report.sent) == (1, 1)
    assert [status_of(first), status_of(second)] == [MessageStatus.PENDING, MessageStatus.SENT]


def test_resend_queues_a_failed_message_again(django_capture_on_commit_callbacks):
    message = OutboxMessageFactory(status=MessageStatus.FAILED, attempts=8, last_error="550 no such user")

    with django_capture_on_commit_callbacks(execute=True):
        count = services.messages_resend(ids=[message.pk])

    message.refresh_from_db()
    assert (count, message.status, message.attempts, len(mail.outbox)) == (1, MessageStatus.SENT, 1, 1)


def test_resend_leaves_a_message_being_sent_alone():
    message = OutboxMessageFactory(status=MessageStatus.SENDING, claimed_at=timezone.now())

    assert services.messages_resend(ids=[message.pk]) == 0
    assert status_of(message) == MessageStatus.SENDING
