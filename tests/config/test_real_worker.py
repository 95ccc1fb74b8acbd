import datetime

import pytest
from django.utils import timezone

from applicants import services
from applicants.enums import ApplicationStatus
from applicants.models import Application
from applicants.tasks import start_review_for_closed_rounds
from tests.factories import ApplicationFactory, CohortFactory, StartupMemberFactory
from tests.support.workers import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_task_sent_through_a_real_worker_changes_a_row(celery_worker, celery_not_eager):
    member = StartupMemberFactory()
    cohort = CohortFactory()
    application = ApplicationFactory(startup=member.startup, cohort=cohort)
    services.application_submit(application=application, user=member.user)
    cohort.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    cohort.save(update_fields=["closes_at"])

    start_review_for_closed_rounds.delay()

    moved = wait_for(lambda: Application.objects.filter(pk=application.pk, status=ApplicationStatus.IN_REVIEW).first())
    assert moved.status_changes.last().reason == "The round closed."
