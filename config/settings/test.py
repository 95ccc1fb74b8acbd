"""Tests: the same services as the environment names, with fast hashing."""

from config.env import env_bool
from config.settings.base import *  # noqa: F403
from config.settings.base import REDIS_URL, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Without Redis each test process keeps its cache to itself, so that no run
# sees another's counts.
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The lockout has its own tests; elsewhere the test client logs in without a request.
AXES_ENABLED = False
# Tests make many requests from one address; throttling has its own test.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute", "auth": "100000/minute"},
}

# Unit tests run tasks inline; the flows that matter also run on a real worker,
# which turns this off so that the tasks it queues go through the broker too.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
# Webhook receivers under development run on this machine.
RUNWAY_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=True)

for folder in ("broker/queue", "broker/control", "broker/processed", "test-media", "static"):
    (VAR_DIR / folder).mkdir(parents=True, exist_ok=True)
