import re

import pytest

from tests.factories import UserFactory
from tests.support.throttling import lower_rates

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True


def attempt(client, email, password):
    return client.post("/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR="203.0.113.9")


def test_login_locks_out_after_five_failures(client, axes_on):
    user = UserFactory(email="target@example.com")
    for _ in range(5):
        attempt(client, user.email, "wrong-password")

    response = attempt(client, user.email, "pass-word-123")

    assert response.status_code == 429
    assert b"Too many failed log-ins" in response.content


def test_login_succeeds_after_fewer_failures(client, axes_on):
    user = UserFactory(email="careless@example.com")
    for _ in range(3):
        attempt(client, user.email, "wrong-password")

    response = attempt(client, user.email, "pass-word-123")

    assert response.status_code == 302


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/api/docs/", "/admin/login/"])
def test_pages_carry_a_csp_without_inline_scripts(client, path):
    response = client.get(path)

    policy = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src == "'self'"
    assert INLINE_SCRIPT.findall(response.content.decode()) == []


def test_api_throttles_anonymous_clients(client, settings):
    lower_rates(settings, anon="3/minute")

    statuses = [client.get("/api/schema/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
