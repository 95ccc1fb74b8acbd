import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applicants.enums import MemberRole
from applicants.models import Invitation, Startup, StartupMember
from common.fields import LONG_TEXT
from tests.applicants.portal_support import member_of
from tests.factories import ApplicationFactory, InvitationFactory, StartupFactory, StartupMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

STARTUP_POST = {
    "name": "Orbit Labs",
    "website": "https://orbit.example",
    "description": "Agents for logistics.",
    "country": "US",
    "incorporation_country": "US",
    "founded_on": "2024-02-01",
    "total_funding_usd": "500000",
    "developer_count": "2",
}


def login_url(next_path):
    return f"{reverse('accounts:login')}?next={next_path}"


# --- Profile ---------------------------------------------------------------------


def test_startup_create_makes_the_creator_owner(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("applicants:startup-create"), STARTUP_POST)

    startup = Startup.objects.get(name="Orbit Labs")
    assert response.status_code == 302
    assert response.url == startup.get_absolute_url()
    assert list(startup.memberships.values_list("user", "role")) == [(user.pk, MemberRole.OWNER)]


@pytest.mark.parametrize(
    ("field", "value"),
    [("description", "x" * (LONG_TEXT + 1)), ("founded_on", "0001-01-01"), ("founded_on", "9999-12-31")],
)
def test_startup_create_with_a_value_out_of_bounds_is_a_form_error(client, field, value):
    client.force_login(UserFactory())

    response = client.post(reverse("applicants:startup-create"), {**STARTUP_POST, field: value})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Startup.objects.count() == 0


def test_startup_create_returns_to_next(client):
    client.force_login(UserFactory())

    response = client.post(reverse("applicants:startup-create"), {**STARTUP_POST, "next": "/rounds/7/apply/"})

    assert response.status_code == 302
    assert response.url == "/rounds/7/apply/"


def test_startup_create_ignores_next_to_another_site(client):
    client.force_login(UserFactory())

    response = client.post(reverse("applicants:startup-create"), {**STARTUP_POST, "next": "https://evil.example/"})

    assert response.url == Startup.objects.get().get_absolute_url()


def test_startup_create_invalid_shows_errors_beside_fields(client):
    client.force_login(UserFactory())

    response = client.post(reverse("applicants:startup-create"), {**STARTUP_POST, "developer_count": "-1"})

    assert response.status_code == 200
    assert response.context["form"].errors["developer_count"]
    assert not Startup.objects.exists()


def test_startup_create_anonymous_is_sent_to_login(client):
    url = reverse("applicants:startup-create")

    response = client.get(url)

    assert response.url == login_url(url)


def test_startup_detail_member_sees_profile(client):
    startup = StartupFactory(name="Orbit Labs")
    client.force_login(member_of(startup, role=MemberRole.MEMBER))

    response = client.get(startup.get_absolute_url())

    assert response.status_code == 200
    assert "Orbit Labs" in response.text


def test_startup_detail_stranger_gets_404(client):
    startup = StartupFactory()
    client.force_login(UserFactory())

    response = client.get(startup.get_absolute_url())

    assert response.status_code == 404


def test_startup_detail_anonymous_is_sent_to_login(client):
    startup = StartupFactory()

    response = client.get(startup.get_absolute_url())

    assert response.url == login_url(startup.get_absolute_url())


def test_startup_update_owner_saves_the_profile(client):
    startup = StartupFactory()
    client.force_login(member_of(startup, role=MemberRole.OWNER))

    response = client.post(
        reverse("applicants:startup-update", kwargs={"pk": startup.pk}), {**STARTUP_POST, "developer_count": "5"}
    )

    startup.refresh_from_db()
    assert response.status_code == 302
    assert (startup.name, startup.developer_count) == ("Orbit Labs", 5)


def test_startup_update_plain_member_is_refused(client):
    startup = StartupFactory(name="Kept", developer_count=2)
    client.force_login(member_of(startup, role=MemberRole.MEMBER))

    response = client.post(
        reverse("applicants:startup-update", kwargs={"pk": startup.pk}), {**STARTUP_POST, "developer_count": "5"}
    )

    startup.refresh_from_db()
    assert response.status_code == 403
    assert (startup.name, startup.developer_count) == ("Kept", 2)


def test_startup_update_stranger_gets_404(client):
    startup = StartupFactory(name="Kept")
    client.force_login(UserFactory())

    response = client.post(reverse("applicants:startup-update", kwargs={"pk": startup.pk}), STARTUP_POST)

    startup.refresh_from_db()
    assert response.status_code == 404
    assert startup.name == "Kept"


def test_startup_update_anonymous_is_sent_to_login(client):
    startup = StartupFactory()
    url = reverse("applicants:startup-update", kwargs={"pk": startup.pk})

    response = client.get(url)

    assert response.url == login_url(url)


# --- Members -----------------------------------------------------------------------


def members_url(startup):
    return reverse("applicants:member-list", kwargs={"pk": startup.pk})


def test_member_list_member_sees_members(client):
    startup = StartupFactory()
    owner = member_of(startup, email="owner@orbit.example")
    client.force_login(member_of(startup, role=MemberRole.MEMBER))

    response = client.get(members_url(startup))

    assert response.status_code == 200
    assert owner.email in response.text
    assert "Invite someone" not in response.text


def test_member_list_stranger_gets_404(client):
    startup = StartupFactory()
    client.force_login(UserFactory())

    response = client.get(members_url(startup))

    assert response.status_code == 404


def test_member_list_anonymous_is_sent_to_login(client):
    startup = StartupFactory()

    response = client.get(members_url(startup))

    assert response.url == login_url(members_url(startup))


@pytest.mark.parametrize("rows", [1, 3])
def test_member_list_query_count_is_flat(client, django_assert_num_queries, rows):
    startup = StartupFactory()
    owner = member_of(startup)
    StartupMemberFactory.create_batch(rows - 1, startup=startup, role=MemberRole.MEMBER)
    InvitationFactory.create_batch(rows, startup=startup, invited_by=owner)
    client.force_login(owner)

    # session, user, startup, own membership, members, invitations
    with django_assert_num_queries(6):
        response = client.get(members_url(startup))

    assert response.status_code == 200
    assert len(response.context["members"]) == rows
    assert len(response.context["invitations"]) == rows


def test_invite_owner_creates_invitation_and_sees_the_link_once(client):
    startup = StartupFactory()
    client.force_login(member_of(startup))

    response = client.post(members_url(startup), {"email": "Dev@Orbit.example", "role": "member"}, follow=True)
    again = client.get(members_url(startup))

    invitation = Invitation.objects.get(startup=startup)
    assert invitation.email == "dev@orbit.example"
    link = response.context["new_invitation"]["link"]
    assert "/invitations/" in link
    assert link in response.text
    assert again.context["new_invitation"] is None


def test_invite_link_accepts_the_invitee(client):
    startup = StartupFactory()
    client.force_login(member_of(startup))
    response = client.post(members_url(startup), {"email": "dev@orbit.example", "role": "member"}, follow=True)
    path = response.context["new_invitation"]["link"].removeprefix("http://testserver")
    invitee = UserFactory(email="dev@orbit.example")
    client.force_login(invitee)

    client.post(path)

    assert StartupMember.objects.filter(startup=startup, user=invitee).exists()


def test_invite_existing_member_shows_error_beside_email(client):
    startup = StartupFactory()
    client.force_login(member_of(startup))
    member_of(startup, role=MemberRole.MEMBER, email="dev@orbit.example")

    response = client.post(members_url(startup), {"email": "dev@orbit.example", "role": "member"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["This person is already a member."]
    assert not Invitation.objects.exists()


def test_invite_by_plain_member_is_forbidden(client):
    startup = StartupFactory()
    client.force_login(member_of(startup, role=MemberRole.MEMBER))

    response = client.post(members_url(startup), {"email": "dev@orbit.example", "role": "member"})

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_invite_by_stranger_gets_404(client):
    startup = StartupFactory()
    client.force_login(UserFactory())

    response = client.post(members_url(startup), {"email": "dev@orbit.example", "role": "member"})

    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_invitation_revoke_by_owner(client):
    startup = StartupFactory()
    client.force_login(member_of(startup))
    invitation = InvitationFactory(startup=startup)

    client.post(reverse("applicants:invitation-revoke", kwargs={"pk": startup.pk, "invitation_pk": invitation.pk}))

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_invitation_revoke_by_stranger_gets_404(client):
    invitation = InvitationFactory()
    client.force_login(UserFactory())

    response = client.post(
        reverse("applicants:invitation-revoke", kwargs={"pk": invitation.startup_id, "invitation_pk": invitation.pk})
    )

    invitation.refresh_from_db()
    assert response.status_code == 404
    assert invitation.revoked_at is None


def test_member_remove_by_owner(client):
    startup = StartupFactory()
    client.force_login(member_of(startup))
    member = StartupMemberFactory(startup=startup, role=MemberRole.MEMBER)

    client.post(reverse("applicants:member-remove", kwargs={"pk": startup.pk, "member_pk": member.pk}))

    assert not StartupMember.objects.filter(pk=member.pk).exists()


def test_member_remove_last_owner_is_refused(client):
    startup = StartupFactory()
    owner = member_of(startup)
    client.force_login(owner)
    membership = startup.memberships.get(user=owner)

    response = client.post(
        reverse("applicants:member-remove", kwargs={"pk": startup.pk, "member_pk": membership.pk}), follow=True
    )

    assert StartupMember.objects.filter(pk=membership.pk).exists()
    assert "A startup needs at least one owner." in response.text


def test_member_remove_by_plain_member_is_forbidden(client):
    startup = StartupFactory()
    owner_membership = StartupMemberFactory(startup=startup, role=MemberRole.OWNER)
    client.force_login(member_of(startup, role=MemberRole.MEMBER))

    response = client.post(
        reverse("applicants:member-remove", kwargs={"pk": startup.pk, "member_pk": owner_membership.pk})
    )

    assert response.status_code == 403
    assert StartupMember.objects.filter(pk=owner_membership.pk).exists()


def test_member_remove_by_stranger_gets_404(client):
    membership = StartupMemberFactory(role=MemberRole.MEMBER)
    client.force_login(UserFactory())

    response = client.post(
        reverse("applicants:member-remove", kwargs={"pk": membership.startup_id, "member_pk": membership.pk})
    )

    assert response.status_code == 404


# --- Accepting an invitation ---------------------------------------------------------


def accept_url(token):
    return reverse("applicants:invitation-accept", kwargs={"token": token})


def test_invitation_accept_anonymous_is_sent_to_login(client):
    InvitationFactory(token="abc")

    response = client.get(accept_url("abc"))

    assert response.url == login_url(accept_url("abc"))


def test_invitation_accept_page_shows_the_startup(client):
    InvitationFactory(token="abc", email="dev@orbit.example", startup__name="Orbit Labs")
    client.force_login(UserFactory(email="dev@orbit.example"))

    response = client.get(accept_url("abc"))

    assert response.status_code == 200
    assert "Accept and join Orbit Labs" in response.text


def test_invitation_accept_joins_the_startup(client):
    invitation = InvitationFactory(token="abc", email="dev@orbit.example", role=MemberRole.MEMBER)
    user = UserFactory(email="dev@orbit.example")
    client.force_login(user)

    response = client.post(accept_url("abc"))

    assert response.url == invitation.startup.get_absolute_url()
    assert invitation.startup.memberships.get(user=user).role == MemberRole.MEMBER


def test_invitation_accept_with_another_email_is_refused(client):
    invitation = InvitationFactory(token="abc", email="dev@orbit.example")
    client.force_login(UserFactory(email="someone@else.example"))

    response = client.post(accept_url("abc"))

    assert response.status_code == 403
    assert "This invitation was sent to dev@orbit.example" in response.text
    assert not invitation.startup.memberships.exists()


def test_invitation_accept_unknown_token_gets_404(client):
    InvitationFactory(token="abc")
    client.force_login(UserFactory())

    response = client.get(accept_url("not-the-token"))

    assert response.status_code == 404


def test_invitation_accept_expired_explains(client):
    InvitationFactory(token="abc", email="dev@orbit.example", expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(UserFactory(email="dev@orbit.example"))

    response = client.post(accept_url("abc"))

    assert response.status_code == 410
    assert "This invitation has expired" in response.text


@pytest.mark.parametrize("rows", [1, 3])
def test_startup_detail_query_count_is_flat(client, django_assert_num_queries, rows):
    startup = StartupFactory()
    owner = member_of(startup)
    StartupMemberFactory.create_batch(rows - 1, startup=startup, role=MemberRole.MEMBER)
    ApplicationFactory.create_batch(rows, startup=startup)
    client.force_login(owner)

    # session, user, startup, own membership, members, applications
    with django_assert_num_queries(6):
        response = client.get(startup.get_absolute_url())

    assert len(response.context["members"]) == rows
    assert len(response.context["applications"]) == rows
