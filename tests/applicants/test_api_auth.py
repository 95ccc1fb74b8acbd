import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from applicants.enums import ApplicationStatus
from applicants.models import Application, Attachment, StartupMember
from tests.factories import AttachmentFactory, InvitationFactory, StartupMemberFactory, UserFactory
from tests.support.throttling import lower_rates

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The throttle counts in the shared cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


def obtain(client: APIClient, email: str, password: str = PASSWORD):
    return client.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")


def test_token_obtain_with_right_password():
    user = UserFactory()

    response = obtain(APIClient(), user.email)

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_token_obtain_ignores_email_case():
    UserFactory(email="founder@example.com")

    response = obtain(APIClient(), "Founder@Example.com")

    assert response.status_code == 200


def test_token_obtain_twice_gives_the_same_token():
    user = UserFactory()
    first = obtain(APIClient(), user.email).json()["token"]

    second = obtain(APIClient(), user.email).json()["token"]

    assert second == first


def test_token_obtain_with_wrong_password_is_401():
    user = UserFactory()

    response = obtain(APIClient(), user.email, "wrong-password")

    assert response.status_code == 401
    assert response.json() == {"detail": "Unable to log in with this e-mail address and password."}
    assert not Token.objects.filter(user=user).exists()


def test_token_obtain_for_inactive_user_is_401():
    user = UserFactory(is_active=False)

    response = obtain(APIClient(), user.email)

    assert response.status_code == 401


def test_token_obtain_without_password_names_the_field():
    response = APIClient().post("/api/v1/auth/token/", {"email": "a@example.com"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["password"]


def test_token_obtain_is_throttled_after_ten_attempts(settings):
    lower_rates(settings, auth="10/minute")
    user = UserFactory()
    client = APIClient()
    for _ in range(10):
        obtain(client, user.email, "wrong-password")

    response = obtain(client, user.email)

    assert response.status_code == 429


def test_token_authenticates_api_requests():
    member = StartupMemberFactory()
    token = obtain(APIClient(), member.user.email).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = client.get("/api/v1/startups/")

    assert response.status_code == 200
    assert [s["id"] for s in response.json()["results"]] == [member.startup_id]


def test_token_revoked_answers_401_afterwards():
    user = UserFactory()
    token = obtain(APIClient(), user.email).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    revoked = client.delete("/api/v1/auth/token/")
    after = client.get("/api/v1/startups/")

    assert revoked.status_code == 204
    assert after.status_code == 401
    assert not Token.objects.filter(user=user).exists()


def test_token_obtain_works_while_sending_a_revoked_token():
    user = UserFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token revoked-long-ago")

    response = obtain(client, user.email)

    assert response.status_code == 200


def test_token_obtain_from_a_form_is_415():
    user = UserFactory()

    response = APIClient().post("/api/v1/auth/token/", {"email": user.email, "password": PASSWORD})

    assert response.status_code == 415


def test_token_revoke_anonymous_is_401():
    response = APIClient().delete("/api/v1/auth/token/")

    assert response.status_code == 401


def test_anonymous_request_is_401_with_a_token_challenge():
    response = APIClient().get("/api/v1/startups/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_session_request_without_csrf_token_is_refused():
    user = UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post("/api/v1/startups/", {"name": "Acme"}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_session_request_with_csrf_token_writes():
    user = UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/accounts/password-reset/")  # any page with a form sets the CSRF cookie

    response = client.post(
        "/api/v1/startups/",
        {"name": "Acme", "incorporation_country": "US", "total_funding_usd": 1, "developer_count": 1},
        format="json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )

    assert response.status_code == 201


def test_session_request_reads_without_csrf_token():
    user = UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.get("/api/v1/startups/")

    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/auth/token/", "/api/v1/startups/", "/api/v1/applications/1/"])
def test_unknown_method_is_405_even_for_anonymous(path):
    response = APIClient().generic("TRACE", path)

    assert response.status_code == 405


ANONYMOUS_REFUSED = [
    ("get", "/api/v1/startups/{startup}/"),
    ("patch", "/api/v1/startups/{startup}/"),
    ("delete", "/api/v1/startups/{startup}/members/{member}/"),
    ("get", "/api/v1/startups/{startup}/invitations/"),
    ("post", "/api/v1/startups/{startup}/invitations/"),
    ("delete", "/api/v1/startups/{startup}/invitations/{invitation}/"),
    ("patch", "/api/v1/applications/{application}/"),
    ("post", "/api/v1/applications/{application}/withdraw/"),
    ("get", "/api/v1/applications/{application}/eligibility/"),
    ("get", "/api/v1/applications/{application}/attachments/"),
    ("delete", "/api/v1/applications/{application}/attachments/{attachment}/"),
]


@pytest.mark.parametrize(("method", "path"), ANONYMOUS_REFUSED)
def test_anonymous_is_401_and_changes_nothing(method, path):
    member = StartupMemberFactory()
    invitation = InvitationFactory(startup=member.startup)
    attachment = AttachmentFactory(application__startup=member.startup)
    url = path.format(
        startup=member.startup_id,
        member=member.pk,
        invitation=invitation.pk,
        application=attachment.application_id,
        attachment=attachment.pk,
    )

    response = getattr(APIClient(), method)(url, {}, format="json")

    assert response.status_code == 401
    assert StartupMember.objects.filter(pk=member.pk).exists()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert Application.objects.get(pk=attachment.application_id).status == ApplicationStatus.DRAFT
    assert Attachment.objects.filter(pk=attachment.pk).exists()
