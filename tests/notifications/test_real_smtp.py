"""The outbox against a real SMTP server and real Celery workers on Redis."""

import time

import pytest

from applicants import services as applicants_services
from outbox.enums import MessageStatus
from outbox.models import OutboxMessage
from outbox.tasks import sweep_outbox
from tests.factories import ApplicationFactory, StartupMemberFactory, UserFactory
from tests.notifications.smtp import smtp_server
from tests.support.broker import broker_unreachable, notifications_queue_to_ourselves
from tests.support.workers import WorkerProcess, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# Long enough to show that nothing more arrives after the first delivery.
SETTLE_SECONDS = 1.5


@pytest.fixture
def isolated_queue(celery_not_eager):
    with notifications_queue_to_ourselves():
        yield


@pytest.fixture
def smtp():
    with smtp_server() as (sink, port):
        yield sink, port


def worker_for(port: int, *, name: str, **env: str) -> WorkerProcess:
    return WorkerProcess(name=name, extra_env={"EMAIL_URL": f"smtp://127.0.0.1:{port}", **env})


@pytest.fixture
def worker(smtp, isolated_queue):
    _, port = smtp
    process = worker_for(port, name="notify-smtp", OUTBOX_RETRY_BASE_SECONDS="0.2", OUTBOX_RETRY_MAX_SECONDS="1")
    process.start()
    yield process
    process.stop()


def submitted_application():
    member = StartupMemberFactory(user=UserFactory(full_name="Fatima Founder"), startup__name="Acme Vision")
    application = ApplicationFactory(startup=member.startup, cohort__name="Spring 2026", cohort__program__name="Llama")
    applicants_services.application_submit(application=application, user=member.user)
    return member


def sent_message():
    return OutboxMessage.objects.filter(status=MessageStatus.SENT).first()


def test_submitting_delivers_exactly_one_email(smtp, worker):
    sink, _ = smtp

    member = submitted_application()

    wait_for(lambda: sink.count >= 1 and sent_message())
    time.sleep(SETTLE_SECONDS)
    assert sink.count == 1
    received = sink.received[0]
    assert (received["To"], received["Subject"]) == (member.user.email, "Acme Vision: your application to Llama is in")
    assert "Acme Vision's application to Llama (Spring 2026) has been submitted." in received.get_content()
    assert "{" not in received.get_content()


def test_submission_with_redis_down_is_delivered_by_the_sweeper(smtp, worker):
    sink, _ = smtp

    started = time.monotonic()
    with broker_unreachable():
        submitted_application()
    took = time.monotonic() - started

    message = OutboxMessage.objects.get()
    assert (message.status, took < 5) == (MessageStatus.PENDING, True)
    time.sleep(SETTLE_SECONDS)
    assert sink.count == 0

    sweep_outbox.delay()

    wait_for(lambda: sink.count >= 1 and sent_message())
    sweep_outbox.delay()
    time.sleep(SETTLE_SECONDS)
    assert sink.count == 1
    assert OutboxMessage.objects.get().attempts == 1


def test_smtp_refusing_three_times_then_accepting_delivers_once(smtp, worker):
    sink, _ = smtp
    sink.refusals = 3

    submitted_application()

    message = wait_for(sent_message, timeout=30)
    time.sleep(SETTLE_SECONDS)
    assert (sink.refused, sink.count, message.attempts, message.last_error) == (3, 1, 4, "")


def test_worker_killed_while_sending_delivers_once_after_restart(smtp, isolated_queue):
    sink, port = smtp
    sink.hold_next = True
    lease = {"OUTBOX_LEASE_SECONDS": "3"}
    first = worker_for(port, name="notify-doomed", **lease).start()
    try:
        submitted_application()
        assert sink.holding.wait(timeout=30), "the worker never reached the SMTP server"
    finally:
        first.kill()
    sink.release.set()
    claimed = OutboxMessage.objects.get()
    assert (claimed.status, claimed.attempts, sink.count) == (MessageStatus.SENDING, 1, 0)

    second = worker_for(port, name="notify-restarted", **lease).start()
    try:
        # The dead worker's claim stands until its lease runs out (unit-tested
        # in test_sending); after that the sweeper hands the message out again.
        wait_for(lambda: OutboxMessage.objects.filter(pk=claimed.pk).first().claimed_at.timestamp() + 3 < time.time())
        sweep_outbox.delay()
        message = wait_for(sent_message)
        sweep_outbox.delay()
        time.sleep(SETTLE_SECONDS)
    finally:
        second.stop()
    assert (sink.count, message.attempts) == (1, 2)
