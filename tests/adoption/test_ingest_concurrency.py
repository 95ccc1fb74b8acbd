"""Usage for one startup arriving in batches at the same time."""

import datetime

import pytest
from django.utils import timezone

from adoption import services
from adoption.rollups import rollups_rebuild
from tests.adoption.test_rollups import SLUGS, direct_aggregate, rollup_table
from tests.support.threads import all_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TODAY = timezone.now().date()
DAYS = 400
# The race is won differently from run to run; a few runs catch a lost update.
ATTEMPTS = 5


def batch(parity: int) -> list[dict]:
    """Every model on every other one of the last ``DAYS`` days: the batches of
    parity 0 and 1 share every month and no day, so no raw row makes one
    wait for the other and only the roll-ups are written by both."""
    return [
        {
            "model": slug,
            "date": (TODAY - datetime.timedelta(days=day)).isoformat(),
            "requests": 1000 + day,
            "input_tokens": 7 * day + model_index,
            "output_tokens": day + parity,
        }
        for day in range(parity, DAYS, 2)
        for model_index, slug in enumerate(SLUGS)
    ]


@pytest.mark.parametrize("attempt", range(ATTEMPTS))
def test_two_overlapping_ingests_at_once_leave_rollups_equal_to_the_raw_rows(catalog, accepted, attempt):
    first, second = batch(0), batch(1)

    outcomes = all_at_once(
        [
            lambda: services.usage_ingest(startup=accepted.startup, records=first).stored,
            lambda: services.usage_ingest(startup=accepted.startup, records=second).stored,
        ]
    )

    assert outcomes == [len(first), len(second)]
    assert rollup_table(accepted.startup) == direct_aggregate(accepted.startup)


@pytest.mark.parametrize("attempt", range(ATTEMPTS))
def test_an_ingest_during_a_rebuild_leaves_rollups_equal_to_the_raw_rows(catalog, accepted, attempt):
    services.usage_ingest(startup=accepted.startup, records=batch(0))
    second = batch(1)

    outcomes = all_at_once(
        [
            lambda: services.usage_ingest(startup=accepted.startup, records=second).stored,
            lambda: rollups_rebuild(startup_ids=[accepted.startup.pk]) > 0,
        ]
    )

    assert outcomes == [len(second), True]
    assert rollup_table(accepted.startup) == direct_aggregate(accepted.startup)
