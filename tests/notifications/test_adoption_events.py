import datetime

import pytest

from adoption import services as adoption_services
from adoption.models import CheckIn, Disbursement
from outbox.models import OutboxMessage
from tests.adoption.conftest import make_accepted
from tests.factories import BenefitFactory, CohortFactory, StartupMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted():
    cohort = CohortFactory(program=BenefitFactory(program__name="Llama").program)
    accepted = make_accepted(cohort=cohort, startup__name="Acme")
    StartupMemberFactory(startup=accepted.startup, user=UserFactory(language="fr"))
    return accepted


def test_a_due_checkin_reaches_every_member_once(accepted):
    checkin = CheckIn.objects.filter(startup=accepted.startup).order_by("due_on").first()
    day = checkin.due_on

    adoption_services.checkins_send_reminders(today=day)
    adoption_services.checkins_send_reminders(today=day + datetime.timedelta(days=1))

    sent = OutboxMessage.objects.filter(event="checkin_due", dedup_key__contains=f":checkin:{checkin.pk}:")
    assert sent.count() == 2
    assert f"/adoption/startups/{accepted.startup.pk}/check-ins/{checkin.pk}/" in sent.first().body


def test_a_paid_payment_tells_the_startup_the_amount_in_its_language(accepted):
    payment = Disbursement.objects.filter(startup=accepted.startup).order_by("sequence").first()
    adoption_services.disbursement_approve(disbursement=payment, actor=None)

    adoption_services.disbursement_mark_paid(disbursement=payment, actor=None)

    subjects = set(OutboxMessage.objects.filter(event="payment_made").values_list("language", "subject"))
    assert subjects == {("en", "Llama has paid Acme USD 6,000.00"), ("fr", "Llama a versé USD 6,000.00 à Acme")}
