"""The admin changes state only through the services: where a state machine, a
history or a roll-up lives, it offers no add, no delete and no
"Delete selected", and shows JSON as text to read, not a field to edit."""

from decimal import Decimal

import pytest
from django.urls import reverse

from adoption.enums import DisbursementStatus
from adoption.models import Disbursement
from programs.enums import ProgramRole
from tests.adoption.conftest import make_accepted
from tests.factories import (
    ApplicationFactory,
    BenefitFactory,
    CheckInFactory,
    CohortFactory,
    ProgramFactory,
    ProgramMembershipFactory,
)

pytestmark = pytest.mark.django_db

SERVICE_OWNED = [
    "applicants.application",
    "applicants.applicationstatuschange",
    "reviews.assignment",
    "reviews.review",
    "reviews.decision",
    "reviews.offer",
    "adoption.deployment",
    "adoption.apikey",
    "adoption.usagerecord",
    "adoption.usagemonthly",
    "adoption.checkin",
    "adoption.disbursement",
    "outbox.outboxmessage",
]


def admin_url(model: str, view: str, *args) -> str:
    return reverse(f"admin:{model.replace('.', '_')}_{view}", args=args)


@pytest.mark.parametrize("model", SERVICE_OWNED)
def test_service_owned_rows_have_no_add_page(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))

    assert response.status_code == 403


@pytest.mark.parametrize("model", SERVICE_OWNED)
def test_service_owned_rows_have_no_delete_page(admin_client, model):
    response = admin_client.get(admin_url(model, "delete", 1))

    assert response.status_code == 403


@pytest.mark.parametrize("model", SERVICE_OWNED)
def test_service_owned_rows_have_no_delete_action(admin_client, model):
    response = admin_client.get(admin_url(model, "changelist"))

    action_form = response.context["action_form"]
    actions = [name for name, _ in action_form.fields["action"].choices] if action_form else []
    assert response.status_code == 200
    assert "delete_selected" not in actions


def test_startup_cannot_be_deleted_with_its_applications(admin_client):
    application = ApplicationFactory()

    response = admin_client.post(admin_url("applicants.startup", "delete", application.startup_id), {"post": "yes"})

    assert response.status_code == 403


def test_application_answers_and_eligibility_are_shown_as_readable_json(admin_client):
    application = ApplicationFactory(answers={"summary": "Agents <for> teams", "users": 120})

    response = admin_client.get(admin_url("applicants.application", "change", application.pk))

    body = response.content.decode()
    assert 'name="answers"' not in body
    assert (
        '<pre style="white-space: pre-wrap; margin: 0">{\n  &quot;summary&quot;: &quot;Agents &lt;for&gt; teams&quot;,'
        in body
    )


def test_application_cannot_be_changed_in_the_admin(admin_client):
    application = ApplicationFactory(answers={"summary": "Before"})

    admin_client.post(
        admin_url("applicants.application", "change", application.pk), {"answers": '{"summary": "After"}'}
    )

    application.refresh_from_db()
    assert application.answers == {"summary": "Before"}


def test_check_in_metrics_are_shown_as_readable_json(admin_client):
    checkin = CheckInFactory(metrics={"users": 42})

    response = admin_client.get(admin_url("adoption.checkin", "change", checkin.pk))

    body = response.content.decode()
    assert 'name="metrics"' not in body
    assert "{\n  &quot;users&quot;: 42\n}" in body


def test_payment_is_approved_from_the_admin_through_the_service(admin_client, admin_user):
    program = ProgramFactory()
    BenefitFactory(program=program, amount=Decimal("6000"), months=6)
    ProgramMembershipFactory(program=program, user=admin_user, role=ProgramRole.MANAGER)
    accepted = make_accepted(cohort=CohortFactory(program=program))
    payment = Disbursement.objects.filter(application=accepted.application).order_by("sequence").first()

    admin_client.post(
        admin_url("adoption.disbursement", "changelist"), {"action": "approve", "_selected_action": [payment.pk]}
    )

    payment.refresh_from_db()
    assert (payment.status, payment.approved_by) == (DisbursementStatus.APPROVED, admin_user)
