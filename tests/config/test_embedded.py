"""`make run` on a fresh machine: the migrations and the demo on SQLite, with no
service configured. The rest of the suite runs on PostgreSQL in CI, so this is
where a PostgreSQL-only construct in a migration or the demo shows up."""

import os
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings

from tests.config.test_settings import SERVICE_VARIABLES

pytestmark = pytest.mark.slow


def manage(*args: str, var_dir) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in SERVICE_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", RUNWAY_VAR_DIR=str(var_dir))
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_migrations_and_demo_run_on_the_embedded_defaults(tmp_path):
    migrated = manage("migrate", "--noinput", var_dir=tmp_path)
    seeded = manage("seed_demo", var_dir=tmp_path)

    assert migrated.returncode == 0, migrated.stderr[-3000:]
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    assert "founder@runway.local" in seeded.stdout
    with sqlite3.connect(tmp_path / "runway.sqlite3") as db:
        statuses = {row[0] for row in db.execute("SELECT DISTINCT status FROM applicants_application")}
    assert {"draft", "in_review", "accepted", "ineligible", "withdrawn"} <= statuses
