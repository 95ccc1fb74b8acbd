import datetime

import pytest
from django.urls import reverse

from applicants.enums import ApplicationStatus
from programs.models import Cohort
from tests.applicants.portal_support import member_of, move
from tests.factories import ApplicationFactory, CohortFactory, StartupFactory, StartupMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"


def test_dashboard_anonymous_is_sent_to_login(client):
    response = client.get(DASHBOARD)

    assert response.url == f"{reverse('accounts:login')}?next={DASHBOARD}"


def test_dashboard_lists_my_startups_applications_and_open_rounds(client):
    startup = StartupFactory(name="Orbit Labs")
    user = member_of(startup)
    draft = ApplicationFactory(startup=startup)
    submitted = move(ApplicationFactory(startup=startup), ApplicationStatus.SUBMITTED)
    open_round = CohortFactory(name="Spring intake")
    client.force_login(user)

    response = client.get(DASHBOARD)

    assert f'<a href="{startup.get_absolute_url()}">Orbit Labs</a>' in response.text
    assert (
        f'href="{reverse("applicants:application-edit", kwargs={"pk": draft.pk})}">Continue the draft' in response.text
    )
    assert f'href="{submitted.get_absolute_url()}">See the status' in response.text
    assert f'href="{reverse("applicants:application-start", kwargs={"cohort_pk": open_round.pk})}"' in response.text


def test_dashboard_hides_other_startups_and_closed_rounds(client):
    other = ApplicationFactory(startup__name="Someone Else Inc")
    closed = CohortFactory(name="Last year's intake")
    Cohort.objects.filter(pk=closed.pk).update(
        opens_at=closed.opens_at - datetime.timedelta(days=400), closes_at=closed.opens_at - datetime.timedelta(days=1)
    )
    client.force_login(member_of(StartupFactory()))

    response = client.get(DASHBOARD)

    assert "Someone Else Inc" not in response.text
    assert other.get_absolute_url() not in response.text
    assert "Last year" not in response.text


@pytest.mark.parametrize("rows", [1, 3])
def test_dashboard_query_count_is_flat(client, django_assert_num_queries, rows):
    user = UserFactory()
    for _ in range(rows):
        membership = StartupMemberFactory(user=user)
        ApplicationFactory(startup=membership.startup)
    client.force_login(user)

    # session, user, startups, applications, open rounds
    with django_assert_num_queries(5):
        response = client.get(DASHBOARD)

    assert len(response.context["startups"]) == rows
    assert len(response.context["applications"]) == rows
    assert len(response.context["open_cohorts"]) == rows
