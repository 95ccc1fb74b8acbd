"""Webhook deliveries against a real HTTP receiver on 127.0.0.1 (tasks inline)."""

import datetime
import json

import pytest
import standardwebhooks
from django.urls import reverse
from django.utils import timezone

from applicants import services as applicants_services
from applicants.enums import ApplicationStatus
from notifications import events
from outbox import selectors, services
from outbox.enums import Channel, MessageStatus
from outbox.models import OutboxMessage
from reviews import services as reviews_services
from reviews.enums import DecisionKind
from tests.outbox.conftest import endpoint_for

pytestmark = pytest.mark.django_db


def submit(application, member, capture):
    with capture(execute=True):
        applicants_services.application_submit(application=application, user=member.user)


def deliveries():
    return OutboxMessage.objects.filter(channel=Channel.WEBHOOK).order_by("pk")


def send_due(capture):
    """What the sweeper does once a retry is due, without waiting for it."""
    deliveries().filter(status=MessageStatus.PENDING).update(next_attempt_at=timezone.now())
    with capture(execute=True):
        services.messages_send(ids=list(deliveries().values_list("pk", flat=True)))


def test_submission_is_delivered_signed_to_each_endpoint_that_wants_it(
    application, member, receiver, django_capture_on_commit_callbacks
):
    _, secret = endpoint_for(application.cohort.program, receiver.url, events=["application.submitted"])
    endpoint_for(application.cohort.program, receiver.url, events=["application.accepted"])

    submit(application, member, django_capture_on_commit_callbacks)

    payloads = receiver.delivered(secret)
    assert [payload["type"] for payload in payloads] == ["application.submitted"]
    assert payloads[0]["data"]["application"]["id"] == application.pk
    assert deliveries().get().status == MessageStatus.SENT


def test_payload_holds_the_snapshot_and_nothing_else(application, member, receiver, django_capture_on_commit_callbacks):
    _, secret = endpoint_for(application.cohort.program, receiver.url)

    submit(application, member, django_capture_on_commit_callbacks)

    data = receiver.delivered(secret)[0]["data"]
    assert sorted(data) == ["application", "from_status", "to_status"]
    assert sorted(data["application"]) == [
        "decided_at", "id", "program", "round", "startup", "status", "submitted_at",
    ]  # fmt: skip
    assert data["application"]["startup"] == {"id": application.startup_id, "name": "Acme Vision"}


def test_delivery_log_records_status_code_latency_and_attempts(
    application, member, receiver, django_capture_on_commit_callbacks
):
    endpoint_for(application.cohort.program, receiver.url)

    submit(application, member, django_capture_on_commit_callbacks)

    delivery = deliveries().get()
    assert (delivery.status, delivery.response_code, delivery.attempts) == (MessageStatus.SENT, 200, 1)
    assert delivery.latency_ms is not None


def test_receiver_answering_500_gets_the_same_delivery_again_later(
    application, member, receiver, django_capture_on_commit_callbacks
):
    _, secret = endpoint_for(application.cohort.program, receiver.url)
    receiver.statuses = [500]
    submit(application, member, django_capture_on_commit_callbacks)
    failed = deliveries().get()
    assert (failed.status, failed.response_code, failed.attempts) == (MessageStatus.PENDING, 500, 1)

    send_due(django_capture_on_commit_callbacks)

    ids = receiver.ids()
    assert (len(ids), len(set(ids)), len(receiver.delivered(secret))) == (2, 1, 1)
    assert deliveries().get().status == MessageStatus.SENT


def test_receiver_that_times_out_gets_the_delivery_again(
    application, member, receiver, settings, django_capture_on_commit_callbacks
):
    settings.RUNWAY_WEBHOOK_TIMEOUT_SECONDS = 0.3
    endpoint_for(application.cohort.program, receiver.url)
    receiver.slow_seconds, receiver.slow_requests = 1.0, 1
    submit(application, member, django_capture_on_commit_callbacks)
    assert deliveries().get().last_error.startswith(("TimeoutError", "timeout"))

    send_due(django_capture_on_commit_callbacks)

    assert (len(receiver.ids()), deliveries().get().status) == (2, MessageStatus.SENT)


def test_retry_waits_with_exponential_back_off_and_jitter(settings):
    settings.RUNWAY_OUTBOX_RETRY_BASE_SECONDS = 60
    settings.RUNWAY_OUTBOX_RETRY_MAX_SECONDS = 3600

    delays = [services.webhook_retry_delay(3).total_seconds() for _ in range(50)]

    assert (min(delays) >= 120, max(delays) <= 240, len(set(delays)) > 1) == (True, True, True)


def test_redirect_is_not_followed(application, member, receiver, django_capture_on_commit_callbacks):
    endpoint_for(application.cohort.program, receiver.url)
    receiver.statuses = [302]

    submit(application, member, django_capture_on_commit_callbacks)

    delivery = deliveries().get()
    assert (len(receiver.ids()), delivery.status, delivery.response_code) == (1, MessageStatus.PENDING, 302)


def test_private_address_is_refused_when_not_allowed(
    application, member, receiver, settings, django_capture_on_commit_callbacks
):
    endpoint_for(application.cohort.program, receiver.url)
    settings.RUNWAY_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False

    submit(application, member, django_capture_on_commit_callbacks)

    delivery = deliveries().get()
    assert (receiver.ids(), delivery.status) == ([], MessageStatus.FAILED)
    assert delivery.last_error.startswith("Refused: 127.0.0.1 resolves to a private address")


def test_deliveries_to_an_endpoint_come_in_order_after_a_failure(
    application, member, receiver, django_capture_on_commit_callbacks
):
    _, secret = endpoint_for(application.cohort.program, receiver.url)
    receiver.statuses = [500]
    submit(application, member, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        applicants_services.application_transition(
            application=application, to_status=ApplicationStatus.IN_REVIEW, actor=None
        )
        reviews_services.decision_make(application=application, kind=DecisionKind.REJECT, actor=None)
    assert list(deliveries().values_list("status", flat=True)) == [MessageStatus.PENDING, MessageStatus.PENDING]

    send_due(django_capture_on_commit_callbacks)

    assert [payload["type"] for payload in receiver.delivered(secret)] == [
        "application.submitted",
        "application.rejected",
    ]


def test_endpoint_is_switched_off_after_a_run_of_failures_and_managers_told(
    application, member, manager, receiver, settings, django_capture_on_commit_callbacks
):
    settings.RUNWAY_WEBHOOK_DISABLE_AFTER_FAILURES = 2
    endpoint, _ = endpoint_for(application.cohort.program, receiver.url)
    receiver.statuses = [500, 500, 500]
    submit(application, member, django_capture_on_commit_callbacks)

    send_due(django_capture_on_commit_callbacks)

    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.consecutive_failures) == (False, 2)
    told = OutboxMessage.objects.get(event=events.WEBHOOK_DISABLED.key)
    assert (told.to_email, receiver.url in told.body) == (manager.email, True)


def test_rotated_secret_signs_beside_the_new_one_until_it_expires(
    application, member, receiver, django_capture_on_commit_callbacks
):
    endpoint, old_secret = endpoint_for(application.cohort.program, receiver.url)

    new_secret = services.endpoint_rotate_secret(endpoint=endpoint)
    submit(application, member, django_capture_on_commit_callbacks)

    assert receiver.delivered(old_secret) == receiver.delivered(new_secret)
    assert len(receiver.requests[0].headers["webhook-signature"].split(" ")) == 2


def test_expired_previous_secret_no_longer_signs(application, member, receiver, django_capture_on_commit_callbacks):
    endpoint, old_secret = endpoint_for(application.cohort.program, receiver.url)
    services.endpoint_rotate_secret(endpoint=endpoint)
    type(endpoint).objects.filter(pk=endpoint.pk).update(
        previous_secret_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    submit(application, member, django_capture_on_commit_callbacks)

    with pytest.raises(standardwebhooks.WebhookVerificationError):
        receiver.delivered(old_secret)


def test_replay_delivers_again_with_the_same_webhook_id(
    application, member, receiver, django_capture_on_commit_callbacks
):
    endpoint, _ = endpoint_for(application.cohort.program, receiver.url)
    submit(application, member, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        replayed = services.deliveries_replay(endpoint=endpoint, ids=[deliveries().get().pk])

    ids = receiver.ids()
    assert (replayed, len(ids), len(set(ids))) == (1, 2, 1)


def test_body_is_the_payload_as_json(application, member, receiver, django_capture_on_commit_callbacks):
    endpoint_for(application.cohort.program, receiver.url)

    submit(application, member, django_capture_on_commit_callbacks)

    assert json.loads(receiver.requests[0].body) == deliveries().get().payload


def test_metrics_count_deliveries_by_channel_and_status(
    application, member, receiver, django_capture_on_commit_callbacks
):
    endpoint_for(application.cohort.program, receiver.url)
    receiver.statuses = [500]

    submit(application, member, django_capture_on_commit_callbacks)

    metrics = selectors.outbox_metrics(now=timezone.now())
    assert metrics["messages"]["webhook.pending"] == 1
    assert metrics["webhooks_last_hour"]["retrying"] == 1


def test_admin_never_shows_an_endpoint_secret(admin_client, application, receiver):
    endpoint, secret = endpoint_for(application.cohort.program, receiver.url)

    response = admin_client.get(reverse("admin:outbox_webhookendpoint_change", args=[endpoint.pk]))

    assert (response.status_code, secret in response.content.decode()) == (200, False)
