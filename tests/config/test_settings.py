import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from config.env import email_settings_from_url

PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], "
    "'conn_max_age': s.DATABASES['default'].get('CONN_MAX_AGE'), "
    "'health_checks': s.DATABASES['default'].get('CONN_HEALTH_CHECKS'), "
    "'cache': s.CACHES['default']['BACKEND'], 'broker': s.CELERY_BROKER_URL, "
    "'broker_options': s.CELERY_BROKER_TRANSPORT_OPTIONS, 'email': s.EMAIL_BACKEND, "
    "'media': str(s.MEDIA_ROOT), 'debug': s.DEBUG}))"
)
# Variables from the test run that would change what the probed process sees.
SERVICE_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run_settings(module: str, tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key not in SERVICE_VARIABLES}
    clean.update(DJANGO_SETTINGS_MODULE=module, RUNWAY_VAR_DIR=str(tmp_path / "var"), **env)
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, env=clean, capture_output=True, text=True, check=False
    )


def test_embedded_defaults_without_environment(tmp_path):
    result = run_settings("config.settings.local", tmp_path)

    probed = json.loads(result.stdout)
    assert probed["engine"] == "django.db.backends.sqlite3"
    assert probed["cache"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert probed["broker"] == "filesystem://"
    assert probed["broker_options"]["data_folder_in"] == probed["broker_options"]["data_folder_out"]
    assert probed["email"] == "django.core.mail.backends.console.EmailBackend"
    assert probed["media"] == str(tmp_path / "var" / "media")


def test_embedded_defaults_create_the_broker_folders(tmp_path):
    run_settings("config.settings.local", tmp_path)

    assert (tmp_path / "var" / "broker" / "queue").is_dir()
    assert (tmp_path / "var" / "broker" / "control").is_dir()


def test_service_urls_select_postgres_and_redis(tmp_path):
    result = run_settings(
        "config.settings.local",
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/runway",
        REDIS_URL="redis://127.0.0.1:6379/3",
        EMAIL_URL="smtp://mailer:secret@127.0.0.1:2525",
    )

    probed = json.loads(result.stdout)
    assert probed["engine"] == "django.db.backends.postgresql"
    assert probed["conn_max_age"] == 600
    assert probed["health_checks"] is True
    assert probed["cache"] == "common.cache.FailSoftRedisCache"
    assert probed["broker"] == "redis://127.0.0.1:6379/3"
    assert probed["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_refuses_to_start_without_a_secret(tmp_path):
    result = run_settings("config.settings.production", tmp_path, ALLOWED_HOSTS="runway.example")

    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = run_settings("config.settings.production", tmp_path, SECRET_KEY="x" * 60)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set in production" in result.stderr


def test_production_passes_the_deploy_check(tmp_path):
    clean = {key: value for key, value in os.environ.items() if key not in SERVICE_VARIABLES}
    clean.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        RUNWAY_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY="a-long-production-secret-with-enough-variety-0123456789-ABCDEFG",
        ALLOWED_HOSTS="runway.example",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_email_url_smtp_with_tls():
    parsed = email_settings_from_url("smtp://user%40x:p%3Ass@mail.example:587?tls=1")

    assert parsed["EMAIL_HOST"] == "mail.example"
    assert parsed["EMAIL_PORT"] == 587
    assert parsed["EMAIL_HOST_USER"] == "user@x"
    assert parsed["EMAIL_HOST_PASSWORD"] == "p:ss"
    assert parsed["EMAIL_USE_TLS"] is True


def test_email_url_unknown_scheme_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL scheme"):
        email_settings_from_url("pigeon://loft")
