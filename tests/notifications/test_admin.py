import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import EmailTemplate
from outbox.enums import MessageStatus
from tests.factories import EmailTemplateFactory, OutboxMessageFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def template_form(**overrides):
    return {
        "event": "application_submitted",
        "language": "en",
        "program": "",
        "subject": "{startup} applied",
        "body": "Hello {recipient_name}",
        **overrides,
    }


def test_outbox_list_is_not_shown_to_a_non_staff_user(client):
    client.force_login(UserFactory())

    response = client.get(reverse("admin:outbox_outboxmessage_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("rows", [1, 3])
def test_outbox_list_query_count_does_not_grow_with_rows(admin_client, django_assert_num_queries, rows):
    OutboxMessageFactory.create_batch(rows, program=ProgramFactory(), last_error="451 Try again later")

    with django_assert_num_queries(9):
        response = admin_client.get(reverse("admin:outbox_outboxmessage_changelist"))

    assert response.status_code == 200
    assert response.content.decode().count("451 Try again later") == rows


def test_outbox_list_filters_by_status(admin_client):
    OutboxMessageFactory(to_email="failed@example.com", status=MessageStatus.FAILED)
    OutboxMessageFactory(to_email="pending@example.com")

    response = admin_client.get(reverse("admin:outbox_outboxmessage_changelist"), {"status__exact": "failed"})

    assert "failed@example.com" in response.content.decode()
    assert "pending@example.com" not in response.content.decode()


def test_outbox_message_page_is_read_only(admin_client):
    message = OutboxMessageFactory(subject="Original")

    admin_client.post(reverse("admin:outbox_outboxmessage_change", args=[message.pk]), {"subject": "Changed"})

    message.refresh_from_db()
    assert message.subject == "Original"


def test_resend_action_sends_a_failed_message_again(admin_client, django_capture_on_commit_callbacks):
    message = OutboxMessageFactory(status=MessageStatus.FAILED, attempts=8, last_error="550 mailbox full")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:outbox_outboxmessage_changelist"),
            {"action": "resend", "_selected_action": [message.pk]},
            follow=True,
        )

    message.refresh_from_db()
    assert "1 message(s) queued to be sent again." in response.content.decode()
    assert (message.status, message.attempts, len(mail.outbox)) == (MessageStatus.SENT, 1, 1)


def test_template_with_unknown_placeholder_is_refused_in_the_admin(admin_client):
    EmailTemplate.objects.all().delete()

    response = admin_client.post(
        reverse("admin:notifications_emailtemplate_add"), template_form(subject="{startup_name} applied")
    )

    assert response.status_code == 200
    assert "Unknown placeholder {startup_name}." in response.content.decode()
    assert EmailTemplate.objects.count() == 0


def test_template_with_syntax_error_is_refused_in_the_admin(admin_client):
    EmailTemplate.objects.all().delete()

    response = admin_client.post(
        reverse("admin:notifications_emailtemplate_add"), template_form(body="Hello {recipient_name")
    )

    assert "A { is never closed." in response.content.decode()
    assert EmailTemplate.objects.count() == 0


def test_program_override_is_saved_from_the_admin(admin_client):
    program = ProgramFactory()

    response = admin_client.post(
        reverse("admin:notifications_emailtemplate_add"), template_form(program=program.pk, subject="Ours: {startup}")
    )

    assert response.status_code == 302
    assert EmailTemplate.objects.get(program=program).subject == "Ours: {startup}"


def test_template_page_shows_placeholders_and_a_preview(admin_client):
    template = EmailTemplateFactory(program=ProgramFactory(), subject="{startup} applied to {program}")

    response = admin_client.get(reverse("admin:notifications_emailtemplate_change", args=[template.pk]))

    content = response.content.decode()
    assert "Acme Vision applied to Llama for Startups" in content
    assert "<code>{decision_date}</code>" in content


@pytest.mark.parametrize("rows", [1, 3])
def test_template_list_query_count_does_not_grow_with_rows(admin_client, django_assert_num_queries, rows):
    EmailTemplate.objects.all().delete()
    for _ in range(rows):
        EmailTemplateFactory(program=ProgramFactory())

    with django_assert_num_queries(7):
        response = admin_client.get(reverse("admin:notifications_emailtemplate_changelist"))

    assert response.status_code == 200
