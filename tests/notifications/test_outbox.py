import pytest
from django.core import mail
from django.db import transaction

from applicants import services as applicants_services
from applicants.enums import ApplicationStatus
from applicants.signals import application_status_changed
from outbox.enums import MessageStatus
from outbox.models import OutboxMessage
from tests.factories import (
    ApplicationFactory,
    EligibilityRuleFactory,
    EmailTemplateFactory,
    StartupFactory,
    StartupMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def submit(application, member):
    return applicants_services.application_submit(application=application, user=member.user)


def test_submitting_writes_one_message_with_placeholders_filled(application, member):
    submit(application, member)

    message = OutboxMessage.objects.get()
    assert (message.event, message.to_email, message.status) == (
        "application_submitted",
        member.user.email,
        MessageStatus.PENDING,
    )
    assert message.subject == "Acme Vision: your application to Llama is in"
    assert "Hello Fatima Founder," in message.body
    assert "Acme Vision's application to Llama (Spring 2026) has been submitted." in message.body
    assert "{" not in message.body


def test_submitting_sends_the_message_after_commit(application, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(application, member)

    assert [(email.to, email.subject) for email in mail.outbox] == [
        ([member.user.email], "Acme Vision: your application to Llama is in")
    ]
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts, message.sent_at is not None) == (MessageStatus.SENT, 1, True)


def test_submitting_writes_one_message_per_member_and_queues_one_task(
    application, member, django_capture_on_commit_callbacks
):
    StartupMemberFactory.create_batch(2, startup=application.startup)

    with django_capture_on_commit_callbacks() as callbacks:
        submit(application, member)

    assert OutboxMessage.objects.count() == 3
    assert len(callbacks) == 1


def test_same_event_twice_writes_one_message(application, member):
    submit(application, member)

    application_status_changed.send(
        sender=type(application),
        application=application,
        from_status=ApplicationStatus.DRAFT,
        to_status=ApplicationStatus.SUBMITTED,
        actor=member.user,
        reason="",
    )

    assert OutboxMessage.objects.count() == 1


def submit_then_fail(application, member):
    with transaction.atomic():
        submit(application, member)
        raise RuntimeError("the request failed after the transition")


def test_rolled_back_transition_writes_no_message(application, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        submit_then_fail(application, member)

    assert OutboxMessage.objects.count() == 0
    assert callbacks == []


def test_french_member_gets_the_french_template(application, member):
    member.user.language = "fr"
    member.user.save(update_fields=["language"])

    submit(application, member)

    message = OutboxMessage.objects.get()
    assert (message.language, message.subject) == ("fr", "Acme Vision : votre candidature à Llama est bien reçue")
    assert "Bonjour Fatima Founder," in message.body


def test_language_without_template_falls_back_to_english(application, member):
    from notifications.models import EmailTemplate

    member.user.language = "fr"
    member.user.save(update_fields=["language"])
    EmailTemplate.objects.all().delete()
    EmailTemplateFactory(language="en", subject="English only: {startup}")

    submit(application, member)

    assert OutboxMessage.objects.get().subject == "English only: Acme Vision"


def test_program_override_beats_the_default(application, member):
    EmailTemplateFactory(language="en", program=application.cohort.program, subject="Override for {program}: {startup}")

    submit(application, member)

    assert OutboxMessage.objects.get().subject == "Override for Llama: Acme Vision"


def test_another_programs_override_is_ignored(application, member):
    EmailTemplateFactory(language="en", program=ApplicationFactory().cohort.program, subject="Not ours {startup}")

    submit(application, member)

    assert OutboxMessage.objects.get().subject == "Acme Vision: your application to Llama is in"


def test_ineligible_submission_lists_the_reasons(member):
    startup = StartupFactory(incorporation_country="CA")
    StartupMemberFactory(startup=startup, user=member.user)
    application = ApplicationFactory(startup=startup)
    EligibilityRuleFactory(program=application.cohort.program, failure_message="Incorporate in the US.")

    submit(application, member)

    message = OutboxMessage.objects.get()
    assert message.event == "application_ineligible"
    assert "\n- Incorporate in the US.\n" in message.body


@pytest.mark.parametrize(
    "status", [ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED]
)
def test_decision_writes_its_message(application, member, status):
    submit(application, member)
    applicants_services.application_transition(
        application=application, to_status=ApplicationStatus.IN_REVIEW, actor=None
    )

    applicants_services.application_transition(application=application, to_status=status, actor=UserFactory())

    assert list(OutboxMessage.objects.order_by("pk").values_list("event", flat=True)) == [
        "application_submitted",
        f"application_{status}",
    ]


def test_moving_into_review_or_withdrawing_writes_no_message(application, member):
    submit(application, member)
    applicants_services.application_transition(
        application=application, to_status=ApplicationStatus.IN_REVIEW, actor=None
    )

    applicants_services.application_withdraw(application=application, user=member.user)

    assert list(OutboxMessage.objects.values_list("event", flat=True)) == ["application_submitted"]


def test_invitation_writes_one_message_to_the_invitee(member):
    applicants_services.invitation_create(startup=member.startup, invited_by=member.user, email="New@Example.com")

    message = OutboxMessage.objects.get()
    assert (message.event, message.to_email, message.recipient) == ("member_invited", "new@example.com", None)
    assert message.subject == "Fatima Founder invited you to join Acme Vision on Runway"


def test_invitation_to_an_existing_french_user_is_in_french(member):
    invitee = UserFactory(email="amelie@example.com", language="fr")

    applicants_services.invitation_create(startup=member.startup, invited_by=member.user, email=invitee.email)

    message = OutboxMessage.objects.get()
    assert (message.language, message.recipient) == ("fr", invitee)
    assert message.subject == "Fatima Founder vous invite à rejoindre Acme Vision sur Runway"
