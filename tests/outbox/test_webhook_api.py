"""The webhook endpoints' API and pages, for a program's managers."""

import pytest
from django.urls import reverse
from django.utils import timezone

from outbox.enums import Channel
from outbox.models import OutboxMessage, WebhookEndpoint
from tests.outbox.conftest import endpoint_for
from tests.support.api import client_for

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:9/hooks"


def api_url(program, *parts) -> str:
    return "/api/v1/programs/" + "/".join([program.slug, "webhooks", *map(str, parts)]) + "/"


def deliveries_of(endpoint, count: int) -> None:
    now = timezone.now()
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            channel=Channel.WEBHOOK,
            event="application.submitted",
            dedup_key=f"test:{endpoint.pk}:{index}",
            endpoint=endpoint,
            program_id=endpoint.program_id,
            payload={"type": "application.submitted", "data": {}},
            next_attempt_at=now,
        )
        for index in range(count)
    )


def test_creating_an_endpoint_shows_its_secret_once(program, manager):
    api = client_for(manager)

    created = api.post(api_url(program), {"url": URL, "events": ["application.accepted"]}, format="json")
    shown_again = api.get(api_url(program, created.data["id"]))

    assert (created.status_code, created.data["secret"].startswith("whsec_")) == (201, True)
    assert "secret" not in shown_again.data
    assert WebhookEndpoint.objects.get().secret == created.data["secret"]


def test_creating_an_endpoint_with_an_unknown_event_names_the_field(program, manager):
    response = client_for(manager).post(api_url(program), {"url": URL, "events": ["everything"]}, format="json")

    assert (response.status_code, list(response.data)) == (400, ["events.0"])


def test_creating_an_endpoint_on_a_private_address_is_refused_when_not_allowed(program, manager, settings):
    settings.RUNWAY_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False

    response = client_for(manager).post(
        api_url(program), {"url": URL, "events": ["application.accepted"]}, format="json"
    )

    assert (response.status_code, list(response.data)) == (400, ["url"])


def test_rotating_the_secret_keeps_the_old_one_signing_for_a_while(program, manager):
    endpoint, old = endpoint_for(program, URL)

    response = client_for(manager).post(api_url(program, endpoint.pk, "rotate-secret"))

    endpoint.refresh_from_db()
    assert (endpoint.secret, endpoint.previous_secret) == (response.data["secret"], old)
    assert endpoint.previous_secret_expires_at > timezone.now()


def test_switching_an_endpoint_back_on_clears_its_failures(program, manager):
    endpoint, _ = endpoint_for(program, URL)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False, consecutive_failures=15)

    response = client_for(manager).patch(api_url(program, endpoint.pk), {"is_active": True}, format="json")

    assert (response.data["is_active"], response.data["consecutive_failures"]) == (True, 0)


def test_manager_of_another_program_does_not_find_the_endpoint(program, manager):
    other_program = type(program).objects.create(name="Other", slug="other")
    endpoint, _ = endpoint_for(other_program, URL)
    client = client_for(manager)

    statuses = [client.get(api_url(slug_of, endpoint.pk)).status_code for slug_of in (program, other_program)]

    assert statuses == [404, 404]


def test_replay_queues_the_delivery_again(program, manager):
    endpoint, _ = endpoint_for(program, URL)
    deliveries_of(endpoint, 1)
    delivery = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=delivery.pk).update(status="failed", attempts=8)

    response = client_for(manager).post(api_url(program, endpoint.pk, "deliveries", delivery.pk, "replay"))

    assert (response.status_code, response.data["status"], response.data["attempts"]) == (202, "pending", 0)


@pytest.mark.parametrize("rows", [1, 3])
def test_endpoint_list_query_count_does_not_grow_with_rows(program, manager, django_assert_num_queries, rows):
    for _ in range(rows):
        endpoint_for(program, URL)
    api = client_for(manager)

    # managed program, count, page
    with django_assert_num_queries(3):
        response = api.get(api_url(program))

    assert response.data["count"] == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_delivery_list_query_count_does_not_grow_with_rows(program, manager, django_assert_num_queries, rows):
    endpoint, _ = endpoint_for(program, URL)
    deliveries_of(endpoint, rows)
    api = client_for(manager)

    # managed endpoint with its program, count, page
    with django_assert_num_queries(3):
        response = api.get(api_url(program, endpoint.pk, "deliveries"))

    assert response.data["count"] == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_endpoint_page_query_count_does_not_grow_with_rows(client, program, manager, django_assert_num_queries, rows):
    for _ in range(rows):
        endpoint_for(program, URL)
    client.force_login(manager)

    # session, user, managed program, endpoints
    with django_assert_num_queries(4):
        response = client.get(reverse("notifications:webhook-list", kwargs={"slug": program.slug}))

    assert response.content.decode().count(URL) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_delivery_log_page_query_count_does_not_grow_with_rows(
    client, program, manager, django_assert_num_queries, rows
):
    endpoint, _ = endpoint_for(program, URL)
    deliveries_of(endpoint, rows)
    client.force_login(manager)

    # session, user, managed endpoint with its program, deliveries
    with django_assert_num_queries(4):
        response = client.get(reverse("notifications:webhook-detail", kwargs={"slug": program.slug, "pk": endpoint.pk}))

    assert response.content.decode().count("Replay<span") == rows


def test_creating_an_endpoint_in_the_portal_shows_the_secret_once(client, program, manager):
    client.force_login(manager)

    response = client.post(
        reverse("notifications:webhook-list", kwargs={"slug": program.slug}),
        {"url": URL, "events": ["application.submitted"], "is_active": "on"},
    )

    secret = WebhookEndpoint.objects.get().secret
    assert (response.status_code, secret in response.content.decode()) == (200, True)
    assert response["Cache-Control"] == "no-store"


def test_round_pages_link_to_the_program_webhooks(client, application, manager):
    client.force_login(manager)

    response = client.get(reverse("reviews:round-overview", kwargs={"pk": application.cohort.pk}))

    assert (
        reverse("notifications:webhook-list", kwargs={"slug": application.cohort.program.slug})
        in response.content.decode()
    )
