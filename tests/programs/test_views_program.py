import datetime

import pytest
from django.urls import reverse

from tests.factories import CohortFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_program_page_shows_the_deadline_in_the_viewers_time_zone(client):
    closes_at = datetime.datetime(2031, 3, 1, 17, 0, tzinfo=datetime.UTC)
    cohort = CohortFactory(closes_at=closes_at)
    client.force_login(UserFactory(timezone="America/Los_Angeles"))

    response = client.get(cohort.program.get_absolute_url())

    assert "Saturday 1 March 2031, 09:00 PST" in response.text
    assert "your time zone (America/Los_Angeles)" in response.text


def test_program_page_shows_utc_to_anonymous_visitors(client):
    cohort = CohortFactory(closes_at=datetime.datetime(2031, 3, 1, 17, 0, tzinfo=datetime.UTC))

    response = client.get(cohort.program.get_absolute_url())

    assert "Saturday 1 March 2031, 17:00 UTC" in response.text


def test_program_page_links_to_the_apply_flow(client):
    cohort = CohortFactory()

    response = client.get(cohort.program.get_absolute_url())

    assert reverse("applicants:application-start", kwargs={"cohort_pk": cohort.pk}) in response.text
