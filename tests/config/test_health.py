import pytest

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_healthz_up_with_a_worker(client, celery_worker):
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "up"
    assert body["checks"]["database"]["service"] == "postgresql"
    assert body["checks"]["broker"]["service"] == "redis"
    assert body["checks"]["workers"]["count"] >= 1


def test_healthz_names_redis_when_it_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.CELERY_BROKER_URL = UNREACHABLE_REDIS
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 0.5}

    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert body["down"] == ["broker", "cache", "workers"]
    assert body["services_down"] == ["celery", "redis"]
    assert body["checks"]["database"]["status"] == "up"
    assert "Traceback" not in response.content.decode()


def test_healthz_answers_json_without_a_worker(client, settings, monkeypatch):
    from config import health

    monkeypatch.setattr(health, "check_broker", lambda: {"transport": "stub"})
    monkeypatch.setattr(health.celery_app.control, "ping", lambda timeout: [])

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["down"] == ["workers"]
