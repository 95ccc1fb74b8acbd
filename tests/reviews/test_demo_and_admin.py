import pytest
from django.core.management import call_command
from django.urls import reverse

from applicants.enums import ApplicationStatus
from programs.models import Cohort
from reviews import selectors
from reviews.models import Assignment, ConflictOfInterest, Decision, Offer, Review
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_shows_every_stage_of_review():
    call_command("seed_demo", verbosity=0)

    cohort = Cohort.objects.get(program__slug="llama-for-startups", slug="open-round")
    ranking = selectors.ranking_list(cohort=cohort)
    offer = Offer.objects.get(application__cohort=cohort)
    reviews = Review.objects.filter(assignment__application__cohort=cohort)
    assert Assignment.objects.filter(application__cohort=cohort).count() == 6
    assert reviews.filter(submitted_at__isnull=False).count() == 4
    assert reviews.filter(submitted_at__isnull=True).count() == 2
    assert (offer.application.startup.name, offer.application.status) == (
        "Tidewater Health",
        ApplicationStatus.ACCEPTED,
    )
    assert ranking[0].application_id == offer.application_id


@pytest.mark.parametrize("model", [Assignment, ConflictOfInterest, Review, Decision, Offer])
def test_admin_lists_open_for_staff(client, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse(f"admin:reviews_{model._meta.model_name}_changelist"))

    assert response.status_code == 200


def test_bench_assignment_runs_on_a_tiny_round_and_rolls_back():
    from io import StringIO

    from programs.models import Program

    out = StringIO()

    call_command("bench_assignment", applications=30, reviewers=6, verbosity=0, stdout=out)

    report = out.getvalue()
    assert "spread 1 over 6 reviewers" in report or "spread 0 over 6 reviewers" in report
    assert "assigned despite a conflict: 0" in report
    assert "Re-run: 0 new assignments" in report
    assert not Program.objects.filter(slug__startswith="bench-").exists()
