import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.dates import PastDateValidator, latest_day

EARLIEST = datetime.date(1900, 1, 1)


def test_latest_day_is_a_day_after_utc_today():
    today = datetime.date(2026, 3, 31)

    assert latest_day(today) == datetime.date(2026, 4, 1)


@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(1899, 12, 31), datetime.date(9999, 12, 31)])
def test_past_date_validator_refuses_days_out_of_bounds(day):
    with pytest.raises(ValidationError) as raised:
        PastDateValidator(EARLIEST)(day)

    assert raised.value.code == "date_out_of_bounds"


def test_past_date_validator_refuses_the_day_after_tomorrow_utc():
    with pytest.raises(ValidationError):
        PastDateValidator(EARLIEST)(timezone.now().date() + datetime.timedelta(days=2))


@pytest.mark.parametrize("offset", [-365, 0, 1])
def test_past_date_validator_takes_past_days_today_and_tomorrow_utc(offset):
    PastDateValidator(EARLIEST)(timezone.now().date() + datetime.timedelta(days=offset))


def test_past_date_validator_takes_its_earliest_day():
    PastDateValidator(EARLIEST)(EARLIEST)
