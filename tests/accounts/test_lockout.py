import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COOL_OFF_SECONDS = "900"


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True


@pytest.fixture
def locked_out_user():
    user = UserFactory()
    client = APIClient()
    for _ in range(5):
        client.post("/api/v1/auth/token/", {"email": user.email, "password": "wrong-password"}, format="json")
    return user


def test_token_lockout_answers_json_429_with_retry_after(locked_out_user):
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": locked_out_user.email, "password": "pass-word-123"}, format="json"
    )

    assert response.status_code == 429
    assert response.headers["Content-Type"] == "application/json"
    assert list(response.json()) == ["detail"]
    assert response.headers["Retry-After"] == COOL_OFF_SECONDS


def test_login_lockout_page_carries_retry_after(client, locked_out_user):
    response = client.post("/accounts/login/", {"username": locked_out_user.email, "password": "pass-word-123"})

    assert response.status_code == 429
    assert b"Too many failed log-ins" in response.content
    assert response.headers["Retry-After"] == COOL_OFF_SECONDS
