import pytest
from django.conf import settings
from django.utils import timezone

from config.celery import app

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("task", ["adoption.rebuild_rollups", "adoption.checkin_reminders"])
def test_periodic_task_is_scheduled_on_the_adoption_queue(task):
    entries = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == task]

    app.loader.import_default_modules()

    assert [entry["options"]["queue"] for entry in entries] == ["adoption"]
    assert task in app.tasks


@pytest.mark.parametrize(
    "model", ["aimodel", "deployment", "apikey", "usagerecord", "usagemonthly", "milestone", "checkin", "disbursement"]
)
def test_admin_changelist_answers_staff(admin_client, accepted, model):
    response = admin_client.get(f"/admin/adoption/{model}/")

    assert response.status_code == 200


def test_admin_action_approves_through_the_service(admin_client, catalog):
    from adoption.models import Disbursement
    from tests.adoption.conftest import make_accepted
    from tests.factories import BenefitFactory, CohortFactory

    accepted = make_accepted(cohort=CohortFactory(program=BenefitFactory().program))
    payment = Disbursement.objects.filter(application=accepted.application).first()

    admin_client.post(
        "/admin/adoption/disbursement/", {"action": "approve", "_selected_action": [payment.pk]}, follow=True
    )

    payment.refresh_from_db()
    assert payment.status == "approved"
    assert payment.status_changes.count() == 1


def test_checkin_reminders_task_reminds_a_due_checkin_once(accepted):
    from adoption.tasks import checkin_reminders
    from tests.factories import CheckInFactory

    today = timezone.now().date()
    CheckInFactory(
        application=accepted.application, month=today.replace(day=1, year=2020), due_on=today.replace(year=2020)
    )
    CheckInFactory(application=accepted.application, due_on=today)

    first, second = checkin_reminders.delay().get(), checkin_reminders.delay().get()

    assert (first, second) == (2, 0)
