import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.support.throttling import lower_rates

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
CLIENT = "198.51.100.7"
FORGED = "203.0.113.10"


def guess(client: APIClient, email: str, **headers: str):
    return client.post(
        "/api/v1/auth/token/", {"email": email, "password": "wrong-password"}, format="json", headers=headers
    )


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    return APIClient(REMOTE_ADDR=PROXY)


def test_token_throttle_ignores_forwarded_for_without_trusted_proxy(settings, user):
    lower_rates(settings, auth="2/minute")
    client = APIClient(REMOTE_ADDR=CLIENT)
    guess(client, user.email)
    guess(client, user.email)

    response = guess(client, user.email, x_forwarded_for=FORGED)

    assert response.status_code == 429


def test_token_throttle_counts_the_address_the_trusted_proxy_saw(settings, user, behind_one_proxy):
    lower_rates(settings, auth="2/minute")
    guess(behind_one_proxy, user.email, x_forwarded_for=CLIENT)
    guess(behind_one_proxy, user.email, x_forwarded_for=CLIENT)

    response = guess(behind_one_proxy, user.email, x_forwarded_for=f"{FORGED}, {CLIENT}")

    assert response.status_code == 429


def test_token_throttle_separates_clients_behind_the_trusted_proxy(settings, user, behind_one_proxy):
    lower_rates(settings, auth="2/minute")
    guess(behind_one_proxy, user.email, x_forwarded_for=CLIENT)
    guess(behind_one_proxy, user.email, x_forwarded_for=CLIENT)

    response = guess(behind_one_proxy, user.email, x_forwarded_for=FORGED)

    assert response.status_code == 401


def test_login_lockout_counts_the_address_the_trusted_proxy_saw(client, settings, user):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            "/accounts/login/",
            {"username": user.email, "password": "wrong-password"},
            REMOTE_ADDR=PROXY,
            headers={"x-forwarded-for": CLIENT},
        )

    other_client = client.post(
        "/accounts/login/",
        {"username": user.email, "password": "pass-word-123"},
        REMOTE_ADDR=PROXY,
        headers={"x-forwarded-for": FORGED},
    )

    assert other_client.status_code == 302
