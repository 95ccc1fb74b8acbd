import pytest

from tests.factories import UserFactory
from tests.support.api import client_for
from tests.support.throttling import lower_rates

pytestmark = pytest.mark.django_db

URL = "/api/v1/startups/"


def test_user_is_throttled_past_their_rate(settings):
    lower_rates(settings, user="2/minute")
    client = client_for(UserFactory())
    for _ in range(2):
        client.get(URL)

    response = client.get(URL)

    assert response.status_code == 429


def test_each_user_has_their_own_rate_limit(settings):
    lower_rates(settings, user="2/minute")
    client = client_for(UserFactory())
    for _ in range(2):
        client.get(URL)

    response = client_for(UserFactory()).get(URL)

    assert response.status_code == 200


def test_throttled_answer_is_json_with_retry_after(settings):
    lower_rates(settings, user="1/minute")
    client = client_for(UserFactory())
    client.get(URL)

    response = client.get(URL)

    assert response.status_code == 429
    assert list(response.json()) == ["detail"]
    assert int(response.headers["Retry-After"]) > 0
