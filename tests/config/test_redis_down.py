"""Redis is only a doorbell: with it gone the API and the portal still answer."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import ApplicationFactory, StartupMemberFactory
from tests.support.redis import RedisServer
from tests.support.throttling import lower_rates

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def redis_server(settings):
    """A Redis of this test's own as the cache, with the backend and options of the real settings."""
    server = RedisServer().start()
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.FailSoftRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield server
    server.stop()


def test_throttle_counts_in_redis_while_it_is_up(client, settings, redis_server):
    lower_rates(settings, anon="1/minute")
    client.get("/api/v1/programs/")

    response = client.get("/api/v1/programs/")

    assert response.status_code == 429


def test_api_answers_while_redis_is_down(client, redis_server):
    redis_server.stop()

    response = client.get("/api/v1/programs/")

    assert response.status_code == 200


def test_application_submit_works_while_redis_is_down(redis_server):
    member = StartupMemberFactory()
    application = ApplicationFactory(startup=member.startup)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=member.user).key}")
    redis_server.stop()

    response = client.post(f"/api/v1/applications/{application.pk}/submit/")

    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


def test_healthz_names_redis_while_it_is_down(client, redis_server):
    redis_server.stop()

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert (body["checks"]["cache"]["status"], body["checks"]["cache"]["service"]) == ("down", "redis")
    assert "redis" in body["services_down"]
