import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from adoption import services
from adoption.dates import add_months
from adoption.enums import DisbursementStatus
from adoption.ingest import ingest
from adoption.models import CheckIn, Disbursement
from adoption.signals import checkin_due, payment_made
from applicants.models import Application
from common.errors import ConflictError
from reviews.signals import offer_accepted
from tests.adoption.conftest import make_accepted
from tests.factories import BenefitFactory, CohortFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def llama_program():
    program = ProgramFactory(name="Llama for Startups")
    BenefitFactory(program=program, amount=Decimal("6000"), months=6)
    BenefitFactory(program=program, name="Support", kind="support", amount=None, months=None)
    return program


@pytest.fixture
def accepted_llama(llama_program):
    return make_accepted(cohort=CohortFactory(program=llama_program))


def test_offer_accepted_creates_six_monthly_payments_of_6000(accepted_llama):
    payments = list(Disbursement.objects.filter(application=accepted_llama.application).order_by("sequence"))

    first_month = add_months(timezone.now().date(), 1)
    assert [p.amount for p in payments] == [Decimal("6000.00")] * 6
    assert [p.month for p in payments] == [add_months(first_month, n) for n in range(6)]
    assert {p.status for p in payments} == {DisbursementStatus.SCHEDULED}


def test_offer_accepted_twice_creates_one_schedule(accepted_llama):
    offer_accepted.send(sender=Application, application=accepted_llama.application, actor=None)

    assert Disbursement.objects.filter(application=accepted_llama.application).count() == 6
    assert CheckIn.objects.filter(application=accepted_llama.application).count() == 6


def test_schedule_needs_an_accepted_application(llama_program):
    from tests.factories import ApplicationFactory

    draft = ApplicationFactory(cohort=CohortFactory(program=llama_program))

    with pytest.raises(ConflictError):
        services.disbursement_schedule_create(application=draft)


def test_hold_without_usage_blocks_approval(accepted_llama):
    accepted_llama.program.hold_payments_without_usage = True
    accepted_llama.program.save()
    payment = Disbursement.objects.filter(application=accepted_llama.application).first()

    with pytest.raises(ConflictError) as error:
        services.disbursement_approve(disbursement=payment, actor=None)

    assert error.value.code == "held"
    payment.refresh_from_db()
    assert payment.status == DisbursementStatus.SCHEDULED


def test_usage_for_the_month_releases_a_held_payment(llama_program, catalog):
    llama_program.hold_payments_without_usage = True
    llama_program.save()
    accepted = make_accepted(
        cohort=CohortFactory(program=llama_program), decided_at=timezone.now() - datetime.timedelta(days=70)
    )
    payment = Disbursement.objects.filter(application=accepted.application).order_by("sequence").first()
    ingest(
        startup=accepted.startup,
        records=[
            {"model": "llama-3.1-8b", "date": str(payment.month), "requests": 1, "input_tokens": 1, "output_tokens": 1}
        ],
    )

    services.disbursement_approve(disbursement=payment, actor=None)

    assert payment.status == DisbursementStatus.APPROVED


def test_hold_counts_usage_of_the_payments_own_month(accepted_llama, catalog):
    accepted_llama.program.hold_payments_without_usage = True
    accepted_llama.program.save()
    payment = Disbursement.objects.filter(application=accepted_llama.application).first()
    earlier = payment.month - datetime.timedelta(days=1)
    ingest(
        startup=accepted_llama.startup,
        records=[{"model": "llama-3.1-8b", "date": str(earlier), "requests": 1, "input_tokens": 1, "output_tokens": 1}],
    )

    assert services.disbursement_is_held(payment) is True


def test_paying_records_who_and_when_and_sends_payment_made(accepted_llama):
    manager = UserFactory()
    payment = Disbursement.objects.filter(application=accepted_llama.application).first()
    received = []

    def listener(sender, disbursement, **kwargs):
        received.append(disbursement.pk)

    payment_made.connect(listener)
    try:
        services.disbursement_approve(disbursement=payment, actor=manager)
        services.disbursement_mark_paid(disbursement=payment, actor=manager)
    finally:
        payment_made.disconnect(listener)

    payment.refresh_from_db()
    assert (payment.status, payment.paid_by, payment.approved_by) == (DisbursementStatus.PAID, manager, manager)
    assert received == [payment.pk]
    assert list(payment.status_changes.values_list("to_status", flat=True)) == ["approved", "paid"]


def test_a_scheduled_payment_cannot_be_paid_before_approval(accepted_llama):
    payment = Disbursement.objects.filter(application=accepted_llama.application).first()

    with pytest.raises(ConflictError):
        services.disbursement_mark_paid(disbursement=payment, actor=None)


def test_program_without_stipend_schedules_check_ins_but_no_payments():
    accepted = make_accepted()

    assert Disbursement.objects.filter(application=accepted.application).count() == 0
    assert CheckIn.objects.filter(application=accepted.application).count() == services.DEFAULT_CHECKIN_MONTHS


def test_checkin_reminders_signal_each_due_checkin_once(accepted_llama):
    received = []

    def listener(sender, checkin, **kwargs):
        received.append(checkin.pk)

    first = CheckIn.objects.filter(application=accepted_llama.application).order_by("month").first()
    checkin_due.connect(listener)
    try:
        sent = services.checkins_send_reminders(today=first.due_on)
        again = services.checkins_send_reminders(today=first.due_on)
    finally:
        checkin_due.disconnect(listener)

    assert (sent, again, received) == (1, 0, [first.pk])


def test_a_filed_checkin_gets_no_reminder(llama_program):
    accepted = make_accepted(
        cohort=CohortFactory(program=llama_program), decided_at=timezone.now() - datetime.timedelta(days=70)
    )
    first = CheckIn.objects.filter(application=accepted.application).order_by("month").first()
    services.checkin_submit(checkin=first, user=accepted.owner, progress="Shipped the pilot.", metrics={"mau": 5})

    assert services.checkins_send_reminders(today=first.due_on) == 0


def test_checkin_metrics_must_be_an_object(accepted_llama):
    from common.errors import DomainError

    first = CheckIn.objects.filter(application=accepted_llama.application).first()

    with pytest.raises(DomainError):
        services.checkin_submit(checkin=first, user=None, progress="x", metrics=[1, 2])


def test_payments_stop_when_the_startup_is_no_longer_accepted(accepted_llama):
    from applicants.enums import ApplicationStatus
    from applicants.services import application_transition

    payment = Disbursement.objects.filter(application=accepted_llama.application).order_by("sequence").first()
    application_transition(application=accepted_llama.application, to_status=ApplicationStatus.WITHDRAWN, actor=None)

    with pytest.raises(ConflictError, match="no longer accepted"):
        services.disbursement_approve(disbursement=payment, actor=None)

    payment.refresh_from_db()
    assert payment.status == DisbursementStatus.SCHEDULED
