import datetime

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from applicants.enums import MemberRole
from applicants.models import Invitation, Startup, StartupMember
from common.fields import LONG_TEXT
from tests.factories import InvitationFactory, StartupMemberFactory, UserFactory
from tests.support.api import client_for

pytestmark = pytest.mark.django_db

PROFILE = {
    "name": "Acme Vision",
    "website": "https://acme.example",
    "incorporation_country": "US",
    "country": "US",
    "total_funding_usd": 2_500_000,
    "developer_count": 4,
}


@pytest.fixture
def owner():
    return StartupMemberFactory(role=MemberRole.OWNER)


@pytest.fixture
def member(owner):
    return StartupMemberFactory(startup=owner.startup, role=MemberRole.MEMBER)


@pytest.fixture
def stranger():
    return StartupMemberFactory(role=MemberRole.OWNER)


# --- Startups -------------------------------------------------------------


def test_startup_list_shows_only_my_startups(owner, stranger):
    response = client_for(owner.user).get("/api/v1/startups/")

    assert response.status_code == 200
    assert [s["id"] for s in response.json()["results"]] == [owner.startup_id]


def test_startup_list_counts_every_member_and_gives_my_role(owner, member):
    response = client_for(member.user).get("/api/v1/startups/")

    startup = response.json()["results"][0]
    assert (startup["member_count"], startup["my_role"]) == (2, "member")


def test_startup_list_anonymous_is_401():
    response = client_for(None).get("/api/v1/startups/")

    assert response.status_code == 401


@pytest.mark.parametrize(("rows", "queries"), [(1, 2), (3, 2)])
def test_startup_list_query_count_is_constant(django_assert_num_queries, rows, queries):
    user = UserFactory()
    for _ in range(rows):
        StartupMemberFactory(user=user)
        StartupMemberFactory.create_batch(2, startup=Startup.objects.latest("id"), role=MemberRole.MEMBER)
    client = client_for(user)

    with django_assert_num_queries(queries):
        response = client.get("/api/v1/startups/")

    assert [s["member_count"] for s in response.json()["results"]] == [3] * rows


def test_startup_create_makes_me_its_owner():
    user = UserFactory()

    response = client_for(user).post("/api/v1/startups/", PROFILE, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["my_role"], body["member_count"]) == ("Acme Vision", "owner", 1)
    assert StartupMember.objects.get(startup_id=body["id"]).user == user


def test_startup_create_with_unknown_country_names_the_field():
    response = client_for(UserFactory()).post(
        "/api/v1/startups/", {**PROFILE, "incorporation_country": "XX"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["incorporation_country"]
    assert Startup.objects.count() == 0


def test_startup_create_anonymous_is_401():
    response = client_for(None).post("/api/v1/startups/", PROFILE, format="json")

    assert response.status_code == 401


def test_startup_retrieve_by_member(owner, member):
    response = client_for(member.user).get(f"/api/v1/startups/{owner.startup_id}/")

    assert response.status_code == 200
    assert response.json()["name"] == owner.startup.name


def test_startup_retrieve_by_stranger_is_404(owner, stranger):
    response = client_for(stranger.user).get(f"/api/v1/startups/{owner.startup_id}/")

    assert response.status_code == 404


def test_startup_update_by_owner(owner):
    response = client_for(owner.user).patch(
        f"/api/v1/startups/{owner.startup_id}/", {"developer_count": 7}, format="json"
    )

    assert response.status_code == 200
    owner.startup.refresh_from_db()
    assert owner.startup.developer_count == 7


def test_startup_update_by_member_is_403(owner, member):
    response = client_for(member.user).patch(
        f"/api/v1/startups/{owner.startup_id}/", {"developer_count": 7}, format="json"
    )

    assert response.status_code == 403
    owner.startup.refresh_from_db()
    assert owner.startup.developer_count == 3


def test_startup_update_by_stranger_is_404(owner, stranger):
    response = client_for(stranger.user).patch(
        f"/api/v1/startups/{owner.startup_id}/", {"developer_count": 7}, format="json"
    )

    assert response.status_code == 404


def test_startup_update_with_bad_value_names_the_field(owner):
    response = client_for(owner.user).patch(
        f"/api/v1/startups/{owner.startup_id}/", {"developer_count": -1}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["developer_count"]


def test_startup_put_is_not_allowed(owner):
    response = client_for(owner.user).put(f"/api/v1/startups/{owner.startup_id}/", PROFILE, format="json")

    assert response.status_code == 405


# --- Members --------------------------------------------------------------


def test_member_list_by_member(owner, member):
    response = client_for(member.user).get(f"/api/v1/startups/{owner.startup_id}/members/")

    assert response.status_code == 200
    assert [(m["user"]["email"], m["role"]) for m in response.json()["results"]] == [
        (owner.user.email, "owner"),
        (member.user.email, "member"),
    ]


def test_member_list_by_stranger_is_404(owner, stranger):
    response = client_for(stranger.user).get(f"/api/v1/startups/{owner.startup_id}/members/")

    assert response.status_code == 404


def test_member_list_anonymous_is_401(owner):
    response = client_for(None).get(f"/api/v1/startups/{owner.startup_id}/members/")

    assert response.status_code == 401


@pytest.mark.parametrize(("rows", "queries"), [(1, 3), (3, 3)])
def test_member_list_query_count_is_constant(django_assert_num_queries, rows, queries):
    first = StartupMemberFactory()
    StartupMemberFactory.create_batch(rows - 1, startup=first.startup, role=MemberRole.MEMBER)
    client = client_for(first.user)

    with django_assert_num_queries(queries):
        response = client.get(f"/api/v1/startups/{first.startup_id}/members/")

    assert response.json()["count"] == rows


def test_member_remove_by_owner(owner, member):
    response = client_for(owner.user).delete(f"/api/v1/startups/{owner.startup_id}/members/{member.pk}/")

    assert response.status_code == 204
    assert not StartupMember.objects.filter(pk=member.pk).exists()


def test_member_remove_self_is_leaving(owner, member):
    response = client_for(member.user).delete(f"/api/v1/startups/{owner.startup_id}/members/{member.pk}/")

    assert response.status_code == 204
    assert not StartupMember.objects.filter(pk=member.pk).exists()


def test_member_remove_someone_else_by_member_is_403(owner, member):
    response = client_for(member.user).delete(f"/api/v1/startups/{owner.startup_id}/members/{owner.pk}/")

    assert response.status_code == 403
    assert StartupMember.objects.filter(pk=owner.pk).exists()


def test_member_remove_by_stranger_is_404(owner, member, stranger):
    response = client_for(stranger.user).delete(f"/api/v1/startups/{owner.startup_id}/members/{member.pk}/")

    assert response.status_code == 404
    assert StartupMember.objects.filter(pk=member.pk).exists()


def test_member_remove_of_another_startups_member_is_404(owner, stranger):
    response = client_for(owner.user).delete(f"/api/v1/startups/{owner.startup_id}/members/{stranger.pk}/")

    assert response.status_code == 404
    assert StartupMember.objects.filter(pk=stranger.pk).exists()


def test_member_remove_last_owner_is_409(owner):
    response = client_for(owner.user).delete(f"/api/v1/startups/{owner.startup_id}/members/{owner.pk}/")

    assert response.status_code == 409
    assert response.json() == {"member": ["A startup needs at least one owner."]}
    assert StartupMember.objects.filter(pk=owner.pk).exists()


# --- Invitations ----------------------------------------------------------


def test_invitation_create_by_owner(owner):
    response = client_for(owner.user).post(
        f"/api/v1/startups/{owner.startup_id}/invitations/", {"email": "Cofounder@Example.com"}, format="json"
    )

    assert response.status_code == 201
    assert (response.json()["email"], response.json()["role"], response.json()["state"]) == (
        "cofounder@example.com",
        "member",
        "pending",
    )
    assert Invitation.objects.filter(startup=owner.startup, email="cofounder@example.com").count() == 1


def test_invitation_create_twice_is_409(owner):
    client = client_for(owner.user)
    url = f"/api/v1/startups/{owner.startup_id}/invitations/"
    client.post(url, {"email": "a@example.com"}, format="json")

    response = client.post(url, {"email": "A@example.com"}, format="json")

    assert response.status_code == 409
    assert list(response.json()) == ["email"]


def test_invitation_create_for_a_member_is_409(owner, member):
    response = client_for(owner.user).post(
        f"/api/v1/startups/{owner.startup_id}/invitations/", {"email": member.user.email}, format="json"
    )

    assert response.status_code == 409


def test_invitation_create_with_bad_email_names_the_field(owner):
    response = client_for(owner.user).post(
        f"/api/v1/startups/{owner.startup_id}/invitations/", {"email": "not-an-address"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["email"]


def test_invitation_create_by_member_is_403(owner, member):
    response = client_for(member.user).post(
        f"/api/v1/startups/{owner.startup_id}/invitations/", {"email": "a@example.com"}, format="json"
    )

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_invitation_create_by_stranger_is_404(owner, stranger):
    response = client_for(stranger.user).post(
        f"/api/v1/startups/{owner.startup_id}/invitations/", {"email": "a@example.com"}, format="json"
    )

    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_invitation_list_by_owner(owner):
    invitation = InvitationFactory(startup=owner.startup)
    InvitationFactory()

    response = client_for(owner.user).get(f"/api/v1/startups/{owner.startup_id}/invitations/")

    assert response.status_code == 200
    assert [i["id"] for i in response.json()["results"]] == [invitation.pk]


def test_invitation_list_by_member_is_403(owner, member):
    response = client_for(member.user).get(f"/api/v1/startups/{owner.startup_id}/invitations/")

    assert response.status_code == 403


def test_invitation_list_by_stranger_is_404(owner, stranger):
    response = client_for(stranger.user).get(f"/api/v1/startups/{owner.startup_id}/invitations/")

    assert response.status_code == 404


@pytest.mark.parametrize(("rows", "queries"), [(1, 4), (3, 4)])
def test_invitation_list_query_count_is_constant(django_assert_num_queries, owner, rows, queries):
    InvitationFactory.create_batch(rows, startup=owner.startup)
    client = client_for(owner.user)

    with django_assert_num_queries(queries):
        response = client.get(f"/api/v1/startups/{owner.startup_id}/invitations/")

    assert response.json()["count"] == rows


def test_invitation_revoke_by_owner(owner):
    invitation = InvitationFactory(startup=owner.startup)

    response = client_for(owner.user).delete(f"/api/v1/startups/{owner.startup_id}/invitations/{invitation.pk}/")

    assert response.status_code == 204
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_invitation_revoke_by_member_is_403(owner, member):
    invitation = InvitationFactory(startup=owner.startup)

    response = client_for(member.user).delete(f"/api/v1/startups/{owner.startup_id}/invitations/{invitation.pk}/")

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_invitation_revoke_by_stranger_is_404(owner, stranger):
    invitation = InvitationFactory(startup=owner.startup)

    response = client_for(stranger.user).delete(f"/api/v1/startups/{owner.startup_id}/invitations/{invitation.pk}/")

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_invitation_revoke_through_another_startup_is_404(owner, stranger):
    invitation = InvitationFactory(startup=stranger.startup)

    response = client_for(owner.user).delete(f"/api/v1/startups/{owner.startup_id}/invitations/{invitation.pk}/")

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_startup_create_with_a_description_over_the_limit_names_the_field():
    profile = {**PROFILE, "description": "x" * (LONG_TEXT + 1)}

    response = client_for(UserFactory()).post("/api/v1/startups/", profile, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["description"]
    assert Startup.objects.count() == 0


def test_startup_schema_shows_the_description_limit():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert schema["components"]["schemas"]["StartupInputRequest"]["properties"]["description"]["maxLength"] == LONG_TEXT


@pytest.mark.parametrize("founded_on", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_startup_create_with_a_founding_date_out_of_bounds_names_the_field(founded_on):
    profile = {**PROFILE, "founded_on": founded_on}

    response = client_for(UserFactory()).post("/api/v1/startups/", profile, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["founded_on"]
    assert Startup.objects.count() == 0


def test_startup_update_with_a_founding_date_in_the_future_names_the_field(owner):
    later = (timezone.now().date() + datetime.timedelta(days=2)).isoformat()

    response = client_for(owner.user).patch(
        f"/api/v1/startups/{owner.startup_id}/", {"founded_on": later}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["founded_on"]
