"""Sane bounds for the calendar days people type: no year 1, no 9999.

"Today" is UTC's, with one day of slack: a person east of UTC is already in
UTC's tomorrow, and their today is not in the future.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible

DAYS_AHEAD_OF_UTC = 1


def latest_day(today: datetime.date | None = None) -> datetime.date:
    """The latest day that has begun somewhere, given UTC's ``today`` (now's by default)."""
    return (today or timezone.now().date()) + datetime.timedelta(days=DAYS_AHEAD_OF_UTC)


def day_problem(day: datetime.date, *, earliest: datetime.date, today: datetime.date | None = None) -> str | None:
    """Why ``day`` is out of bounds (before ``earliest`` or in the future), or None."""
    if day < earliest:
        return f"Enter a date from {earliest:%Y} on: check the year."
    if day > latest_day(today):
        return "Enter a date that is not in the future."
    return None


@deconstructible
class PastDateValidator:
    """Refuses days before ``earliest`` and in the future: for model, form and serializer fields."""

    code = "date_out_of_bounds"

    def __init__(self, earliest: datetime.date) -> None:
        self.earliest = earliest

    def __call__(self, value: object) -> None:
        if isinstance(value, datetime.date) and (problem := day_problem(value, earliest=self.earliest)):
            raise ValidationError(problem, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PastDateValidator) and other.earliest == self.earliest

    def __hash__(self) -> int:
        return hash((self.code, self.earliest))
