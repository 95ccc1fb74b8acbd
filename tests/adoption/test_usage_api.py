import datetime

import pytest
from django.utils import timezone

from adoption.models import UsageMonthly, UsageRecord
from tests.support.throttling import lower_rates

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

URL = "/api/v1/usage/"


def days_ago(n: int) -> str:
    return (timezone.now().date() - datetime.timedelta(days=n)).isoformat()


def batch(slugs: list[str], size: int, scale: int = 1) -> list[dict]:
    """``size`` distinct (model, day) records with values that depend on ``scale``."""
    return [
        {
            "model": slugs[index % len(slugs)],
            "date": days_ago(1 + index // len(slugs)),
            "requests": (index + 1) * scale,
            "input_tokens": 10 * (index + 1) * scale,
            "output_tokens": 5 * (index + 1) * scale,
        }
        for index in range(size)
    ]


def post(client, key: str, records, query: str = ""):
    return client.post(
        URL + query, data=records, content_type="application/json", headers={"Authorization": f"Api-Key {key}"}
    )


def test_same_batch_twice_leaves_one_row_per_record_holding_last_values(client, catalog, accepted, key_for):
    _, key = key_for(accepted.startup)
    slugs = list(catalog)
    post(client, key, batch(slugs, 10_000, scale=1))

    first = post(client, key, batch(slugs, 10_000, scale=2))
    again = post(client, key, batch(slugs, 10_000, scale=2))

    assert first.status_code == 200
    assert first.json()["written"] == 10_000
    assert again.json() == {
        "received": 10_000,
        "stored": 10_000,
        "written": 0,
        "unchanged": 10_000,
        "rejected": 0,
        "errors": [],
    }
    assert UsageRecord.objects.filter(startup=accepted.startup).count() == 10_000
    assert UsageRecord.objects.get(startup=accepted.startup, model__slug=slugs[7], date=days_ago(1)).requests == 16


def test_mixed_batch_stores_good_records_and_reports_each_bad_one(client, catalog, accepted, key_for):
    _, key = key_for(accepted.startup)
    good = {"model": "llama-3.1-8b", "date": days_ago(1), "requests": 3, "input_tokens": 30, "output_tokens": 9}
    records = [
        good,
        {**good, "model": "gpt-4"},
        {**good, "date": days_ago(-3)},
        {**good, "date": days_ago(2), "requests": -1},
        {"model": "llama-3.3-70b", "date": days_ago(2), "requests": 1, "input_tokens": 2},
        {**good, "model": "llama-3.3-70b", "date": days_ago(3)},
        "not a record",
    ]

    response = post(client, key, records)

    body = response.json()
    assert response.status_code == 200
    assert (body["stored"], body["rejected"]) == (2, 5)
    assert [(error["index"], error["field"]) for error in body["errors"]] == [
        (1, "model"),
        (2, "date"),
        (3, "requests"),
        (4, "output_tokens"),
        (6, "record"),
    ]
    assert body["errors"][0]["reason"] == "Unknown model 'gpt-4'."
    assert body["errors"][2]["reason"] == "Must not be negative."
    assert body["errors"][3]["reason"] == "This field is required."
    assert sorted(UsageRecord.objects.values_list("model__slug", flat=True)) == ["llama-3.1-8b", "llama-3.3-70b"]


def test_atomic_batch_with_a_bad_record_stores_nothing(client, catalog, accepted, key_for):
    _, key = key_for(accepted.startup)
    records = batch(list(catalog), 50)
    records[17]["model"] = "unknown"

    response = post(client, key, records, "?atomic=true")

    assert response.status_code == 400
    assert response.json()["stored"] == 0
    assert response.json()["errors"] == [{"index": 17, "field": "model", "reason": "Unknown model 'unknown'."}]
    assert UsageRecord.objects.count() == 0
    assert UsageMonthly.objects.count() == 0


def test_batch_over_the_limit_is_refused_naming_the_field(client, catalog, accepted, key_for):
    _, key = key_for(accepted.startup)

    response = post(client, key, batch(list(catalog), 10_001))

    assert response.status_code == 400
    assert list(response.json()) == ["records"]


@pytest.mark.parametrize("body", ["{not json", '{"records": 5}', "42"])
def test_malformed_body_is_a_400(client, catalog, accepted, key_for, body):
    _, key = key_for(accepted.startup)

    response = post(client, key, body)

    assert response.status_code == 400


def test_ingest_keeps_monthly_rollups_current(client, catalog, accepted, key_for):
    _, key = key_for(accepted.startup)

    post(client, key, batch(["llama-3.1-8b"], 40))

    rollups = UsageMonthly.objects.filter(startup=accepted.startup)
    assert sum(row.requests for row in rollups) == sum(range(1, 41))
    assert sum(row.days_reported for row in rollups) == 40


def test_key_writes_only_its_own_startup(client, catalog, accepted, other_accepted, key_for):
    _, key = key_for(accepted.startup)

    post(client, key, batch(["llama-3.1-8b"], 3))

    assert set(UsageRecord.objects.values_list("startup_id", flat=True)) == {accepted.startup.pk}


def test_key_reads_only_its_own_startup(client, catalog, accepted, other_accepted, key_for):
    _, key = key_for(accepted.startup)
    _, other_key = key_for(other_accepted.startup)
    post(client, other_key, batch(["llama-3.1-8b"], 3))
    post(client, key, batch(["llama-3.3-70b"], 2))

    response = client.get(URL, headers={"Authorization": f"Api-Key {key}"})

    assert response.status_code == 200
    assert [row["model"] for row in response.json()["results"]] == ["llama-3.3-70b", "llama-3.3-70b"]


def test_list_filters_by_model_and_date_range(client, catalog, accepted, key_for):
    _, key = key_for(accepted.startup)
    post(client, key, batch(["llama-3.1-8b", "llama-3.3-70b"], 20))

    response = client.get(
        URL,
        {"model": "llama-3.3-70b", "date_from": days_ago(4), "date_to": days_ago(2)},
        headers={"Authorization": f"Bearer {key}"},
    )

    assert [row["date"] for row in response.json()["results"]] == [days_ago(2), days_ago(3), days_ago(4)]


def test_revoked_key_gets_401(client, catalog, accepted, key_for):
    from adoption.services import api_key_revoke

    api_key, key = key_for(accepted.startup)
    api_key_revoke(api_key=api_key, user=accepted.owner)

    write = post(client, key, batch(["llama-3.1-8b"], 1))
    read = client.get(URL, headers={"Authorization": f"Api-Key {key}"})

    assert (write.status_code, read.status_code) == (401, 401)
    assert UsageRecord.objects.count() == 0


def test_unknown_key_gets_401(client, catalog, accepted):
    response = client.get(URL, headers={"Authorization": "Api-Key rwk_made-up"})

    assert response.status_code == 401


def test_usage_endpoint_refuses_a_signed_in_member_without_a_key(client, catalog, accepted):
    client.force_login(accepted.owner)

    response = client.get(URL)

    assert response.status_code == 401


def test_key_of_a_startup_no_longer_accepted_gets_403(client, catalog, accepted, key_for):
    from applicants.enums import ApplicationStatus
    from applicants.services import application_transition

    _, key = key_for(accepted.startup)
    # What an expired or declined offer does to the application.
    application_transition(application=accepted.application, to_status=ApplicationStatus.WITHDRAWN, actor=None)

    response = client.get(URL, headers={"Authorization": f"Api-Key {key}"})

    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/api/v1/adoption/deployments/"])
def test_key_cannot_reach_other_api_endpoints(client, catalog, accepted, key_for, path):
    _, key = key_for(accepted.startup)

    response = client.get(path, headers={"Authorization": f"Api-Key {key}"})

    assert response.status_code in {401, 403}


def test_key_records_last_use_at_most_once_a_minute(client, catalog, accepted, key_for):
    api_key, key = key_for(accepted.startup)
    client.get(URL, headers={"Authorization": f"Api-Key {key}"})
    api_key.refresh_from_db()
    first_use = api_key.last_used_at

    client.get(URL, headers={"Authorization": f"Api-Key {key}"})

    api_key.refresh_from_db()
    assert first_use is not None
    assert api_key.last_used_at == first_use


def test_key_is_throttled_past_its_rate(client, settings, accepted, key_for):
    lower_rates(settings, user="2/minute")
    _, key = key_for(accepted.startup)
    for _ in range(2):
        client.get(URL, headers={"Authorization": f"Api-Key {key}"})

    response = client.get(URL, headers={"Authorization": f"Api-Key {key}"})

    assert response.status_code == 429


def test_each_key_has_its_own_rate_limit(client, settings, accepted, other_accepted, key_for):
    lower_rates(settings, user="2/minute")
    _, key = key_for(accepted.startup)
    _, other_key = key_for(other_accepted.startup)
    for _ in range(2):
        client.get(URL, headers={"Authorization": f"Api-Key {key}"})

    response = client.get(URL, headers={"Authorization": f"Api-Key {other_key}"})

    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 3])
def test_usage_list_query_count(client, catalog, accepted, key_for, django_assert_num_queries, rows):
    _, key = key_for(accepted.startup)
    post(client, key, batch(list(catalog), rows))

    # key lookup, count, page (the key was used a moment ago: no last-used write)
    with django_assert_num_queries(3):
        response = client.get(URL, headers={"Authorization": f"Api-Key {key}"})

    assert len(response.json()["results"]) == rows
