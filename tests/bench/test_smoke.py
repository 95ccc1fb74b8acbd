import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

EXPECTED = {
    "HTTP bare Django JSON view (the floor)",
    "HTTP program list (anonymous)",
    "HTTP round applications, 50 of 1,000",
    "HTTP reviewer queue (50 assignments)",
    "assignment run (write + move into review)",
    "assignment load spread (max - min)",
    "outbox e-mail through 2 worker(s)",
    "usage ingest through the API path",
}


def test_make_bench_smoke_run_prints_every_figure_with_its_floor(tmp_path):
    out = tmp_path / "results.json"
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}

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
    figures = {figure["name"]: figure for figure in json.loads(out.read_text())}
    assert set(figures) >= EXPECTED
    assert all(figure["value"] >= 0 for figure in figures.values())
    ratios = [figure for figure in figures.values() if figure["floor_value"]]
    assert all(figure["ratio"] > 0 for figure in ratios)
    assert "ratio" in completed.stdout
