"""Usage figures and days have bounds, the same through the API, the CSV upload and ``import_usage``."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from adoption.dates import add_months, month_start
from adoption.models import USAGE_MAX_PER_DAY, UsageMonthly, UsageRecord
from adoption.selectors import program_dashboard

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

URL = "/api/v1/usage/"
BIGINT_MAX = 2**63 - 1
HEADER = "model,date,requests,input_tokens,output_tokens\n"


def day(offset: int) -> str:
    """The UTC day ``offset`` days from today (negative: in the past)."""
    return (timezone.now().date() + datetime.timedelta(days=offset)).isoformat()


def two_days_of_one_month(requests: int) -> list[dict]:
    last_month = add_months(timezone.now().date(), -1)
    return [
        {"model": "llama-3.1-8b", "date": str(last_month + datetime.timedelta(days=n)), "requests": requests}
        | {"input_tokens": 1, "output_tokens": 1}
        for n in range(2)
    ]


def post(client, key: str, records, query: str = ""):
    return client.post(
        URL + query, data=records, content_type="application/json", headers={"Authorization": f"Api-Key {key}"}
    )


def test_api_reports_figures_over_the_daily_limit_by_index(client, catalog, accepted, key_for):
    _, key = key_for(accepted.startup)

    response = post(client, key, two_days_of_one_month(BIGINT_MAX))

    assert response.status_code == 200
    assert [(error["index"], error["field"]) for error in response.json()["errors"]] == [
        (0, "requests"),
        (1, "requests"),
    ]
    assert UsageMonthly.objects.count() == 0


def test_api_atomic_batch_with_a_figure_over_the_limit_stores_nothing(client, catalog, accepted, key_for):
    _, key = key_for(accepted.startup)
    records = two_days_of_one_month(1)
    records[1]["output_tokens"] = USAGE_MAX_PER_DAY + 1

    response = post(client, key, records, "?atomic=true")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"index": 1, "field": "output_tokens", "reason": f"At most {USAGE_MAX_PER_DAY:,} a day."}
    ]
    assert UsageRecord.objects.count() == 0


def test_a_month_of_every_model_at_the_limit_rolls_up_and_shows(client, catalog, accepted, key_for):
    _, key = key_for(accepted.startup)
    last_day = timezone.now().date().replace(day=1) - datetime.timedelta(days=1)
    month = month_start(last_day)
    records = [
        {"model": slug, "date": str(month + datetime.timedelta(days=n)), "requests": USAGE_MAX_PER_DAY}
        | {"input_tokens": USAGE_MAX_PER_DAY, "output_tokens": USAGE_MAX_PER_DAY}
        for slug in catalog
        for n in range(last_day.day)
    ]

    response = post(client, key, records)
    dashboard = program_dashboard(program=accepted.program)

    assert response.json()["rejected"] == 0
    assert UsageMonthly.objects.filter(model__slug="llama-3.1-8b").get().requests == last_day.day * USAGE_MAX_PER_DAY
    assert dashboard.startups[0].tokens == len(catalog) * last_day.day * 2 * USAGE_MAX_PER_DAY


def test_csv_upload_reports_figures_over_the_daily_limit_by_line(client, catalog, accepted):
    client.force_login(accepted.owner)
    lines = "".join(f"llama-3.1-8b,{r['date']},{r['requests']},1,1\n" for r in two_days_of_one_month(BIGINT_MAX))

    response = client.post(
        reverse("adoption:usage-upload", kwargs={"startup_pk": accepted.startup.pk}),
        {"file": SimpleUploadedFile("usage.csv", (HEADER + lines).encode())},
    )

    assert response.status_code == 200
    assert [(error.index, error.field) for error in response.context["errors"]] == [(0, "requests"), (1, "requests")]


def test_import_usage_reports_figures_over_the_daily_limit_by_line(tmp_path, catalog, accepted, capsys):
    path = tmp_path / "usage.csv"
    lines = "".join(f"llama-3.1-8b,{r['date']},{r['requests']},1,1\n" for r in two_days_of_one_month(BIGINT_MAX))
    path.write_text(HEADER + lines)

    call_command("import_usage", str(path), startup=accepted.startup.pk, verbosity=0)

    assert f"line 3, requests: At most {USAGE_MAX_PER_DAY:,} a day." in capsys.readouterr().err
    assert UsageRecord.objects.count() == 0


@pytest.mark.parametrize("date", ["0001-01-01", "1970-01-01", "9999-12-31"])
def test_api_reports_a_day_out_of_bounds(client, catalog, accepted, key_for, date):
    _, key = key_for(accepted.startup)
    record = {"model": "llama-3.1-8b", "date": date, "requests": 1, "input_tokens": 1, "output_tokens": 1}

    response = post(client, key, [record])

    assert [(error["index"], error["field"]) for error in response.json()["errors"]] == [(0, "date")]


def test_api_takes_tomorrow_utc_for_clients_ahead_of_utc(client, catalog, accepted, key_for):
    _, key = key_for(accepted.startup)
    record = {"model": "llama-3.1-8b", "date": day(1), "requests": 1, "input_tokens": 1, "output_tokens": 1}

    response = post(client, key, [record])

    assert response.json()["errors"] == []
    assert UsageRecord.objects.get().date.isoformat() == day(1)


def test_api_refuses_the_day_after_tomorrow_utc(client, catalog, accepted, key_for):
    _, key = key_for(accepted.startup)
    record = {"model": "llama-3.1-8b", "date": day(2), "requests": 1, "input_tokens": 1, "output_tokens": 1}

    response = post(client, key, [record])

    assert [(error["index"], error["field"]) for error in response.json()["errors"]] == [(0, "date")]


def test_import_usage_reports_a_day_before_the_floor(tmp_path, catalog, accepted, capsys):
    path = tmp_path / "usage.csv"
    path.write_text(HEADER + "llama-3.1-8b,1970-01-01,1,1,1\n")

    call_command("import_usage", str(path), startup=accepted.startup.pk, verbosity=0)

    assert "line 2, date: " in capsys.readouterr().err
    assert UsageRecord.objects.count() == 0
