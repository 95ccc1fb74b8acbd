import datetime

import pytest
from django.utils import timezone

from applicants import services as applicants_services
from notifications import services
from outbox.models import OutboxMessage
from programs.enums import ProgramRole
from reviews import services as reviews_services
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    OfferFactory,
    ProgramMembershipFactory,
    StartupMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def messages(event):
    return OutboxMessage.objects.filter(event=event).order_by("to_email")


def submitted(cohort, name):
    member = StartupMemberFactory(startup__name=name, user__email=f"founder@{name.lower()}.example")
    application = ApplicationFactory(startup=member.startup, cohort=cohort)
    applicants_services.application_submit(application=application, user=member.user)
    return application


@pytest.fixture
def cohort():
    cohort = CohortFactory(program__name="Llama", program__reviewers_per_application=1, name="Spring")
    for index in range(2):
        ProgramMembershipFactory(
            program=cohort.program,
            role=ProgramRole.REVIEWER,
            user=UserFactory(email=f"reviewer{index}@reviewers.example", full_name=f"Reviewer {index}"),
        )
    return cohort


def test_an_assignment_run_writes_one_message_per_reviewer(cohort):
    for name in ("Acme", "Beta", "Gamma", "Delta"):
        submitted(cohort, name)

    reviews_services.assignment_run(cohort=cohort, actor=None)

    sent = list(messages("review_assigned"))
    assert [message.to_email for message in sent] == ["reviewer0@reviewers.example", "reviewer1@reviewers.example"]
    assert [message.subject for message in sent] == ["2 application(s) to review for Llama"] * 2


def test_an_assignment_run_again_writes_nothing_new(cohort):
    submitted(cohort, "Acme")
    reviews_services.assignment_run(cohort=cohort, actor=None)

    reviews_services.assignment_run(cohort=cohort, actor=None)

    assert messages("review_assigned").count() == 1


def test_review_assigned_message_names_no_startup(cohort):
    submitted(cohort, "Secretive")

    reviews_services.assignment_run(cohort=cohort, actor=None)

    assert "Secretive" not in messages("review_assigned").get().body


def test_overdue_review_writes_one_reminder_a_day(cohort):
    application = submitted(cohort, "Acme")
    reviews_services.assignment_run(cohort=cohort, actor=None)
    assignment = application.assignments.get()
    later = assignment.due_at + datetime.timedelta(hours=1)

    reviews_services.review_reminders_send(now=later)
    reviews_services.review_reminders_send(now=later + datetime.timedelta(minutes=5))

    reminder = messages("review_overdue").get()
    assert reminder.to_email == assignment.reviewer.email
    assert f"/reviews/assignments/{assignment.pk}/" in reminder.body


def test_expiring_offer_reaches_every_member():
    member = StartupMemberFactory(startup__name="Acme")
    StartupMemberFactory(startup=member.startup)
    offer = OfferFactory(
        application=ApplicationFactory(startup=member.startup),
        expires_at=timezone.now() + datetime.timedelta(hours=12),
    )

    reviews_services.offers_warn_expiring()

    assert messages("offer_expiring").count() == 2
    assert f"/reviews/offers/{offer.pk}/" in messages("offer_expiring").first().body


def test_digest_counts_overdue_reviews_and_waiting_offers(cohort):
    manager = ProgramMembershipFactory(program=cohort.program, role=ProgramRole.MANAGER)
    application = submitted(cohort, "Acme")
    reviews_services.assignment_run(cohort=cohort, actor=None)
    application.assignments.update(due_at=timezone.now() - datetime.timedelta(days=1))
    OfferFactory(application=ApplicationFactory(startup__name="Beta", cohort=cohort))

    services.digests_create()

    body = messages("manager_digest").get(to_email=manager.user.email).body
    assert "Overdue reviews (1)\n- Reviewer" in body
    assert "Offers waiting for an answer (1)\n- Beta (until" in body
