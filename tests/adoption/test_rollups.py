import datetime

import pytest
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adoption.ingest import _upsert_portable, ingest
from adoption.models import UsageMonthly, UsageRecord
from adoption.rollups import rollups_rebuild

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SLUGS = ["llama-3.1-8b", "llama-3.3-70b", "llama-4-scout"]
TODAY = timezone.now().date()

records = st.lists(
    st.fixed_dictionaries(
        {
            "model": st.sampled_from(SLUGS),
            "date": st.integers(min_value=0, max_value=500).map(
                lambda n: (TODAY - datetime.timedelta(days=n)).isoformat()
            ),
            "requests": st.integers(min_value=0, max_value=10**6),
            "input_tokens": st.integers(min_value=0, max_value=10**12),
            "output_tokens": st.integers(min_value=0, max_value=10**12),
        }
    ),
    max_size=120,
)


def direct_aggregate(startup) -> dict:
    rows = (
        UsageRecord.objects.filter(startup=startup)
        .annotate(month=TruncMonth("date"))
        .values("model_id", "month")
        .annotate(r=Sum("requests"), i=Sum("input_tokens"), o=Sum("output_tokens"), d=Count("id"))
    )
    return {(row["model_id"], row["month"]): (row["r"], row["i"], row["o"], row["d"]) for row in rows}


def rollup_table(startup) -> dict:
    return {
        (row.model_id, row.month): (row.requests, row.input_tokens, row.output_tokens, row.days_reported)
        for row in UsageMonthly.objects.filter(startup=startup)
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(records, min_size=1, max_size=4))
def test_rollups_equal_a_direct_aggregate_of_raw_rows(catalog, accepted, batches):
    UsageRecord.objects.filter(startup=accepted.startup).delete()
    UsageMonthly.objects.filter(startup=accepted.startup).delete()

    for batch in batches:
        ingest(startup=accepted.startup, records=batch)

    assert rollup_table(accepted.startup) == direct_aggregate(accepted.startup)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=records)
def test_rebuild_gives_the_same_rollups_as_ingest(catalog, accepted, batch):
    UsageRecord.objects.filter(startup=accepted.startup).delete()
    UsageMonthly.objects.filter(startup=accepted.startup).delete()
    ingest(startup=accepted.startup, records=batch)
    after_ingest = rollup_table(accepted.startup)

    rollups_rebuild(startup_ids=[accepted.startup.pk])

    assert rollup_table(accepted.startup) == after_ingest


def test_rebuild_repairs_a_rollup_that_drifted(catalog, accepted):
    ingest(
        startup=accepted.startup,
        records=[{"model": SLUGS[0], "date": TODAY.isoformat(), "requests": 5, "input_tokens": 1, "output_tokens": 1}],
    )
    UsageMonthly.objects.update(requests=999)

    rollups_rebuild()

    assert UsageMonthly.objects.get().requests == 5


def test_portable_upsert_keeps_last_values(catalog, accepted):
    model = catalog[SLUGS[0]]
    now = timezone.now()

    _upsert_portable(accepted.startup.pk, [(model.pk, TODAY, 1, 2, 3)], now)
    _upsert_portable(accepted.startup.pk, [(model.pk, TODAY, 4, 5, 6)], now)

    assert list(UsageRecord.objects.values_list("requests", "input_tokens", "output_tokens")) == [(4, 5, 6)]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
any_record = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            name: json_values | st.sampled_from(["llama-3.1-8b", "2026-01-01", "7", "²", " 5 "])
            for name in ("model", "date", "requests", "input_tokens", "output_tokens")
        },
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(any_record, max_size=6))
def test_any_json_batch_is_stored_or_reported_never_an_exception(catalog, accepted, batch):
    result = ingest(startup=accepted.startup, records=batch)

    assert all(0 <= error.index < len(batch) for error in result.errors)
    assert result.rejected + result.accepted >= (1 if batch else 0)
