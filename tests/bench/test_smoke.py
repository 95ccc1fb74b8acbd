import json
import os
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.support.workers import queue_to_ourselves

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

IDS = {
    "http.program_list",
    "http.round_applications",
    "http.reviewer_queue",
    "submit",
    "celery.db_task",
    "outbox",
    "ingest",
    "assignment.plan",
    "assignment.run",
    "assignment.spread",
    "dashboard.1m",
    "dashboard.10m",
}


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "results.json"
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    # Named after the configured database, so that runs from two checkouts on one server keep apart.
    env["BENCH_DATABASE_NAME"] = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")[:56] + "_bench"
    # The session's shared worker (started by earlier tests) would take the
    # bench's tasks and run them against the test database.
    with queue_to_ourselves("notifications"):
        completed = subprocess.run(
            [sys.executable, "-m", "bench", "--smoke", "--out", str(out)],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout, {figure["id"]: figure for figure in json.loads(out.read_text())}


def test_make_bench_smoke_run_writes_every_id_with_its_floor_and_ratio(smoke_run):
    _, figures = smoke_run

    assert set(figures) == IDS
    assert all(figures[figure_id]["floor_value"] is not None for figure_id in IDS)
    assert all(figures[figure_id]["ratio"] > 0 for figure_id in IDS)


def test_make_bench_smoke_run_prints_every_id_with_its_floor_and_ratio(smoke_run):
    stdout, _ = smoke_run
    # id, name, value, unit, floor name, floor value, ratio: the last two numbers end the line.
    printed = {
        line.split()[0] for line in stdout.splitlines() if re.search(r"\s[\d,.]+\s+\d+\.\d\d$", line) and line.split()
    }

    assert printed >= IDS
