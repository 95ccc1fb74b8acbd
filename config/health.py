"""``/healthz``: is every part Runway needs to do its work reachable?"""

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from config.celery import app as celery_app

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2.0
WORKER_PING_SECONDS = 1.0


def check_database() -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def check_cache() -> dict[str, object]:
    cache = caches["default"]
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=5)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value it was given")
    cache.delete(key)
    return {"backend": cache.__class__.__name__}


def check_broker() -> dict[str, object]:
    with Connection(
        settings.CELERY_BROKER_URL,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        connect_timeout=BROKER_TIMEOUT_SECONDS,
    ) as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
        return {"transport": conn.transport_cls}


def check_workers() -> dict[str, object]:
    replies = celery_app.control.ping(timeout=WORKER_PING_SECONDS)
    workers = sorted(name for reply in replies for name in reply)
    if not workers:
        raise RuntimeError("no worker answered")
    return {"count": len(workers), "names": workers}


def service_names() -> dict[str, str]:
    """Which server stands behind each check, so a 503 names what to restart."""
    cache_module = settings.CACHES["default"]["BACKEND"].rsplit(".", 2)[-2]
    broker_scheme = settings.CELERY_BROKER_URL.split("://", 1)[0]
    return {
        "database": connection.vendor,
        "cache": "redis" if isinstance(caches["default"], RedisCache) else cache_module,
        "broker": "redis" if broker_scheme in {"redis", "rediss"} else broker_scheme,
        "workers": "celery",
    }


def run_check(check: Callable[[], dict[str, object]], service: str) -> dict[str, object]:
    try:
        return {"status": "up", "service": service, **check()}
    except Exception as exc:
        # Named in the response, never with a stack trace; the log keeps the detail.
        logger.warning("health check %s failed", check.__name__, exc_info=True)
        return {"status": "down", "service": service, "error": exc.__class__.__name__}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    services = service_names()
    results = {
        "database": run_check(check_database, services["database"]),
        "cache": run_check(check_cache, services["cache"]),
        "broker": run_check(check_broker, services["broker"]),
    }
    if results["broker"]["status"] == "up":
        results["workers"] = run_check(check_workers, services["workers"])
    else:
        results["workers"] = {"status": "down", "service": "celery", "error": "broker unreachable"}
    down = sorted(name for name, result in results.items() if result["status"] != "up")
    body = {
        "status": "down" if down else "up",
        "down": down,
        "services_down": sorted({str(results[name]["service"]) for name in down}),
        "checks": results,
    }
    return JsonResponse(body, status=503 if down else 200)
