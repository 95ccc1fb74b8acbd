"""Links that carry a credential are built when the e-mail is sent and live only
in the e-mail: the outbox, which admins read, never holds them."""

import re

import pytest
from django.core import mail
from django.forms.models import model_to_dict

from accounts import services as accounts_services
from accounts.models import PendingSignup
from applicants import services as applicants_services
from applicants.models import StartupMember
from outbox import services
from outbox.enums import MessageStatus
from outbox.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INVITATION_LINK = re.compile(r"https?://[^/\s]+(/invitations/(\S+)/)")


@pytest.fixture
def invite(member, django_capture_on_commit_callbacks):
    def do(email="new@example.com"):
        with django_capture_on_commit_callbacks(execute=True):
            return applicants_services.invitation_create(startup=member.startup, invited_by=member.user, email=email)

    return do


def stored_text(message: OutboxMessage) -> str:
    return repr(sorted(model_to_dict(message).items()))


def test_invitation_message_in_the_outbox_holds_no_token(invite):
    invite()

    token = INVITATION_LINK.search(mail.outbox[0].body).group(2)
    assert token not in stored_text(OutboxMessage.objects.get())


def test_invitation_e_mail_carries_a_link_that_accepts_it(invite, client):
    invite()
    invitee = UserFactory(email="new@example.com")
    client.force_login(invitee)

    response = client.post(INVITATION_LINK.search(mail.outbox[0].body).group(1))

    assert response.status_code == 302
    assert StartupMember.objects.filter(user=invitee).exists()


def test_invitation_e_mail_carries_the_link_shown_to_the_inviter(invite):
    invitation = invite()

    assert INVITATION_LINK.search(mail.outbox[0].body).group(2) == invitation.make_token()


def test_invitation_e_mail_sent_again_carries_the_same_working_link(invite):
    invitation = invite()
    message = OutboxMessage.objects.get()

    services.messages_resend(ids=[message.pk])
    services.messages_send(ids=[message.pk])

    first, second = (INVITATION_LINK.search(email.body).group(2) for email in mail.outbox)
    assert first == second == invitation.current_token()


def test_invitation_revoked_before_its_e_mail_goes_is_not_sent(member):
    invitation = applicants_services.invitation_create(
        startup=member.startup, invited_by=member.user, email="new@example.com"
    )
    applicants_services.invitation_revoke(invitation=invitation)

    services.messages_send(ids=list(OutboxMessage.objects.values_list("pk", flat=True)))

    message = OutboxMessage.objects.get()
    assert (message.status, mail.outbox) == (MessageStatus.FAILED, [])
    assert "revoked" in message.last_error


SIGNUP_LINK = re.compile(r"https?://[^/\s]+/accounts/signup/confirm/\d+/(\S+)/")


def sign_up(email="ada@orbit.example"):
    accounts_services.signup_request(email=email, full_name="Ada", timezone="UTC", password="a-long-pass-phrase-42")


def test_sign_up_message_in_the_outbox_holds_no_token(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up()

    token = SIGNUP_LINK.search(mail.outbox[0].body).group(1)
    assert token not in stored_text(OutboxMessage.objects.get())


def test_sign_up_confirmed_before_its_e_mail_goes_is_not_sent():
    sign_up()
    accounts_services.signup_confirm(signup=PendingSignup.objects.get())

    services.messages_send(ids=list(OutboxMessage.objects.values_list("pk", flat=True)))

    assert (OutboxMessage.objects.get().status, mail.outbox) == (MessageStatus.FAILED, [])


def test_sign_ups_with_a_registered_address_e_mail_its_owner_once_an_hour():
    UserFactory(email="ada@orbit.example")

    for _ in range(3):
        sign_up()

    assert list(OutboxMessage.objects.values_list("event", flat=True)) == ["signup_existing"]
