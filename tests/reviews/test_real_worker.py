import pytest

from applicants.enums import ApplicationStatus
from applicants.models import Application
from reviews.models import Assignment
from reviews.tasks import assign_round
from tests.reviews.conftest import make_reviewer, make_submitted
from tests.support.workers import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_assign_round_on_a_real_worker_assigns_and_starts_review(celery_worker, celery_not_eager, cohort):
    for _ in range(3):
        make_reviewer(cohort.program)
    applications = [make_submitted(cohort) for _ in range(2)]

    assign_round.delay(cohort.pk)

    wait_for(lambda: Assignment.objects.filter(application__cohort=cohort).count() == 6)
    statuses = set(Application.objects.filter(pk__in=[a.pk for a in applications]).values_list("status", flat=True))
    assert statuses == {ApplicationStatus.IN_REVIEW}
