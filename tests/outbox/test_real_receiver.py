"""Webhooks from real Celery workers on Redis to a real HTTP receiver on 127.0.0.1."""

import time

import pytest
from django.db import transaction
from django.utils import timezone

from applicants import services as applicants_services
from outbox import services
from outbox.enums import Channel, MessageStatus
from outbox.models import OutboxMessage
from outbox.tasks import sweep_outbox
from tests.factories import ApplicationFactory, StartupMemberFactory
from tests.outbox.conftest import endpoint_for
from tests.outbox.receiver import Receiver, running
from tests.support.broker import notifications_queue_to_ourselves
from tests.support.workers import WorkerProcess, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# Long enough to show that nothing more arrives after the last delivery.
SETTLE_SECONDS = 1.5
FAST_RETRIES = {"OUTBOX_RETRY_BASE_SECONDS": "0.2", "OUTBOX_RETRY_MAX_SECONDS": "1", "WEBHOOK_TIMEOUT_SECONDS": "1"}


@pytest.fixture
def isolated_queue(celery_not_eager):
    with notifications_queue_to_ourselves():
        yield


@pytest.fixture
def worker(isolated_queue):
    process = WorkerProcess(name="webhooks", extra_env=FAST_RETRIES).start()
    yield process
    process.stop()


def submitted(program=None):
    member = StartupMemberFactory()
    application = ApplicationFactory(
        startup=member.startup, **({"cohort__program": program} if program else {"cohort__program__name": "Llama"})
    )
    applicants_services.application_submit(application=application, user=member.user)
    return application


def webhooks():
    return OutboxMessage.objects.filter(channel=Channel.WEBHOOK)


def all_sent(count: int):
    return webhooks().filter(status=MessageStatus.SENT).count() == count


def test_each_event_reaches_each_endpoint_exactly_once(receiver, worker):
    application = ApplicationFactory(cohort__program__name="Llama")
    program = application.cohort.program
    with running(Receiver()) as other:
        _, first_secret = endpoint_for(program, receiver.url)
        _, second_secret = endpoint_for(program, other.url)

        applications = [submitted(program) for _ in range(3)]

        wait_for(lambda: all_sent(6))
        time.sleep(SETTLE_SECONDS)
    expected = [("application.submitted", each.pk) for each in applications]
    for listener, secret in ((receiver, first_secret), (other, second_secret)):
        seen = sorted((payload["type"], payload["data"]["application"]["id"]) for payload in listener.delivered(secret))
        assert (seen, len(listener.ids())) == (expected, 3)


def test_receiver_answering_500_then_timing_out_sees_retries_of_the_same_delivery(receiver, worker):
    application = ApplicationFactory(cohort__program__name="Llama")
    _, secret = endpoint_for(application.cohort.program, receiver.url)
    receiver.faults, receiver.slow_seconds = ["500", "timeout"], 3.0

    submitted(application.cohort.program)

    delivery = wait_for(lambda: webhooks().filter(status=MessageStatus.SENT).first(), timeout=45)
    time.sleep(SETTLE_SECONDS)
    assert [request.status for request in receiver.requests] == [500, 0, 200]
    assert set(receiver.ids()) == {delivery.webhook_id}
    assert (len(receiver.delivered(secret)), delivery.attempts) == (1, 3)


def test_receiver_down_for_an_hour_gets_everything_in_order_when_back(isolated_queue):
    # A port nobody listens on until the receiver comes back.
    with running(Receiver()) as probe:
        port = probe.port
    down = Receiver(port=port)
    application = ApplicationFactory(cohort__program__name="Llama")
    program = application.cohort.program
    _, secret = endpoint_for(program, down.url)
    worker = WorkerProcess(name="webhooks-outage").start()  # back-off as in production
    try:
        applications = [submitted(program) for _ in range(5)]
        wait_for(
            lambda: all(
                message.status == MessageStatus.PENDING
                and (message.next_attempt_at - message.created_at).total_seconds() > 0.5
                for message in webhooks()
            )
        )
        assert webhooks().filter(attempts__gt=0).count() >= 1

        # An hour passes: every retry is due.
        webhooks().update(next_attempt_at=timezone.now())
        with running(down) as back:
            sweep_outbox.delay()
            wait_for(lambda: all_sent(5))
            time.sleep(SETTLE_SECONDS)
            payloads = back.delivered(secret)
    finally:
        worker.stop()
    assert [payload["data"]["application"]["id"] for payload in payloads] == [each.pk for each in applications]


def test_worker_killed_during_a_thousand_deliveries_loses_none(receiver, isolated_queue):
    lease = {"OUTBOX_LEASE_SECONDS": "5"}
    application = ApplicationFactory(cohort__program__name="Llama")
    endpoint, _ = endpoint_for(application.cohort.program, receiver.url)
    now = timezone.now()
    rows = [
        OutboxMessage(
            channel=Channel.WEBHOOK,
            event="application.submitted",
            dedup_key=f"kill-test:{index}",
            program_id=endpoint.program_id,
            endpoint=endpoint,
            payload={"type": "application.submitted", "timestamp": now.isoformat(), "data": {"n": index}},
            next_attempt_at=now,
        )
        for index in range(1000)
    ]
    doomed = WorkerProcess(name="webhooks-doomed", extra_env=lease).start()
    try:
        with transaction.atomic():
            services.messages_write(rows=rows)
        wait_for(lambda: len(receiver.requests) >= 300, timeout=60)
    finally:
        doomed.kill()
    assert webhooks().exclude(status=MessageStatus.SENT).exists()

    second = WorkerProcess(name="webhooks-restarted", extra_env=lease).start()
    try:
        deadline = time.monotonic() + 180
        while not all_sent(1000) and time.monotonic() < deadline:
            sweep_outbox.delay()
            time.sleep(1)
        time.sleep(SETTLE_SECONDS)
    finally:
        second.stop()
    ids = receiver.ids()
    expected = {message.webhook_id for message in webhooks()}
    assert (all_sent(1000), set(ids) == expected) == (True, True)
    assert len(ids) - len(expected) <= 1
