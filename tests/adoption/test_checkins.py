"""Filing a check-in: metrics are a flat mapping of short names to numbers or
short texts, and a month is filed once it has begun."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from adoption import services
from adoption.dates import add_months
from adoption.models import CheckIn
from common.errors import DomainError
from common.fields import LONG_TEXT, NOTE_TEXT
from tests.adoption.conftest import make_accepted

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

BAD_METRICS = {
    "not a number": '{"mau": NaN}',
    "infinite": '{"mau": 1e400}',
    "minus infinity": '{"mau": -Infinity}',
    "NUL in a key": '{"m\\u0000au": 1}',
    "lone surrogate in a value": '{"stage": "\\ud800"}',
    "deeply nested": '{"mau": ' + "[" * 3000 + "]" * 3000 + "}",
    "nested": '{"users": {"active": 3}}',
    "a list": '{"users": [1, 2]}',
    "too large": '{"mau": 1e16}',
    "a bool": '{"launched": true}',
    "a null": '{"mau": null}',
    "blank key": '{" ": 1}',
    "long key": json.dumps({"k" * 101: 1}),
    "long text": json.dumps({"stage": "x" * 201}),
    "too many": json.dumps({f"metric_{n}": n for n in range(51)}),
    "too long to read": '{"mau": ' + " " * 20_000 + "1}",
    "not an object": "[1, 2]",
    "not JSON": "{mau: 1}",
}


@pytest.fixture
def filed_later():
    """A startup accepted ten weeks ago: its first check-in months have begun."""
    return make_accepted(decided_at=timezone.now() - datetime.timedelta(days=70))


def first_checkin(accepted) -> CheckIn:
    return accepted.application.checkins.order_by("month").first()


def file_checkin(client, accepted, checkin: CheckIn, metrics: str):
    client.force_login(accepted.owner)
    url = reverse("adoption:checkin-edit", kwargs={"startup_pk": accepted.startup.pk, "pk": checkin.pk})
    return client.post(url, {"progress": "Pilot with two customers.", "blockers": "", "metrics": metrics})


@pytest.mark.parametrize("metrics", BAD_METRICS.values(), ids=BAD_METRICS.keys())
def test_checkin_form_refuses_metrics_it_cannot_store_as_a_form_error(client, filed_later, metrics):
    checkin = first_checkin(filed_later)

    response = file_checkin(client, filed_later, checkin, metrics)

    checkin.refresh_from_db()
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["metrics"]
    assert checkin.submitted_at is None


def test_checkin_form_stores_numbers_and_short_texts(client, filed_later):
    checkin = first_checkin(filed_later)

    file_checkin(client, filed_later, checkin, '{"mau": 1200, "p95_latency_ms": 900.5, "stage": "beta"}')

    checkin.refresh_from_db()
    assert checkin.metrics == {"mau": 1200, "p95_latency_ms": 900.5, "stage": "beta"}


def test_checkin_form_shows_what_was_typed_after_an_error(client, filed_later):
    checkin = first_checkin(filed_later)

    response = file_checkin(client, filed_later, checkin, '{"mau": NaN}')

    assert "{&quot;mau&quot;: NaN}" in response.content.decode()


def test_checkin_error_names_the_metric(filed_later):
    checkin = first_checkin(filed_later)

    with pytest.raises(DomainError) as raised:
        services.checkin_submit(checkin=checkin, user=None, progress="x", metrics={"mau": float("nan")})

    assert list(raised.value.errors) == ["metrics"]
    assert "mau" in raised.value.message


def test_checkin_for_a_month_not_begun_is_refused(filed_later):
    checkin = filed_later.application.checkins.get(month=add_months(timezone.now().date(), 1))

    with pytest.raises(DomainError):
        services.checkin_submit(checkin=checkin, user=None, progress="Early.")

    checkin.refresh_from_db()
    assert checkin.submitted_at is None


def test_checkin_page_refuses_a_month_not_begun_as_a_form_error(client, filed_later):
    checkin = filed_later.application.checkins.get(month=add_months(timezone.now().date(), 1))

    response = file_checkin(client, filed_later, checkin, "")

    checkin.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert checkin.submitted_at is None


def test_checkin_form_refuses_progress_over_the_limit(client, filed_later):
    checkin = first_checkin(filed_later)
    client.force_login(filed_later.owner)
    url = reverse("adoption:checkin-edit", kwargs={"startup_pk": filed_later.startup.pk, "pk": checkin.pk})

    response = client.post(url, {"progress": "x" * (LONG_TEXT + 1), "blockers": "", "metrics": ""})

    checkin.refresh_from_db()
    assert list(response.context["form"].errors) == ["progress"]
    assert checkin.submitted_at is None


def test_milestone_form_refuses_a_description_over_the_limit(client, filed_later):
    client.force_login(filed_later.owner)
    url = reverse("adoption:checkin-list", kwargs={"startup_pk": filed_later.startup.pk})
    data = {"title": "First paying customer", "due_on": "2027-01-01", "description": "x" * (NOTE_TEXT + 1)}

    response = client.post(url, data)

    assert list(response.context["form"].errors) == ["description"]
    assert not filed_later.startup.milestones.exists()
