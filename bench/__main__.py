"""``make bench``: every benchmark, each figure beside its floor measured in the same run.

    python -m bench            # full sizes (several minutes)
    python -m bench --smoke    # tiny sizes, to prove the benchmarks still run

Needs PostgreSQL (DATABASE_URL names the server; a scratch database named by
BENCH_DATABASE_NAME, ``runway_bench`` by default, is dropped and created) and
Redis (REDIS_URL) for the workers.

Every figure carries a stable id: http.program_list, http.round_applications,
http.reviewer_queue, submit, celery.db_task, outbox, ingest, assignment.plan,
assignment.run, assignment.spread, dashboard.1m, dashboard.10m. (The sizes are
the full run's; the smoke run keeps the ids at its tiny sizes.)
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import (
    BASE_DIR,
    Result,
    bench_database_name,
    bench_database_url,
    django_env,
    manage,
    print_results,
    recreate_database,
    write_results,
)

FULL = {
    "applications": 100_000,
    "seconds": 10,
    "assign_apps": 10_000,
    "reviewers": 300,
    "messages": 5_000,
    "submits": 200,
    "records": 1_000_000,
    "dashboard_rows": (1_000_000, 10_000_000),
}
SMOKE = {
    "applications": 1_000,
    "seconds": 1,
    "assign_apps": 60,
    "reviewers": 12,
    "messages": 20,
    "submits": 10,
    "records": 2_000,
    "dashboard_rows": (2_000, 20_000),
}


def command_results(name: str, args: list[str], env: dict[str, str]) -> list[Result]:
    """Run a management command's benchmark and read the figures it writes with --json."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        path = Path(handle.name)
    try:
        manage(name, *args, "--json", str(path), "--verbosity", "0", env=env)
        return [Result(**figure) for figure in json.loads(path.read_text())]
    finally:
        path.unlink(missing_ok=True)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, seconds not minutes")
    parser.add_argument("--out", default=str(BASE_DIR / "var" / "bench-results.json"))
    args = parser.parse_args()
    sizes = SMOKE if args.smoke else FULL
    if not os.environ.get("REDIS_URL"):
        print("Benchmarks need Redis for the workers: set REDIS_URL.", file=sys.stderr)
        return 2

    database_url = bench_database_url(bench_database_name())
    recreate_database(database_url)
    env = django_env(database_url)
    manage("migrate", "--noinput", env=env)
    os.environ.update({"DJANGO_SETTINGS_MODULE": env["DJANGO_SETTINGS_MODULE"], "DATABASE_URL": database_url})
    import django

    django.setup()
    from bench import http

    started = time.perf_counter()
    results: list[Result] = []
    results += http.run(env=env, applications=sizes["applications"], seconds=sizes["seconds"], submits=sizes["submits"])
    results += command_results(
        "bench_assignment",
        ["--applications", str(sizes["assign_apps"]), "--reviewers", str(sizes["reviewers"])],
        env,
    )
    results += command_results("bench_outbox", ["--messages", str(sizes["messages"])], env)
    results += command_results(
        "bench_usage",
        ["--records", str(sizes["records"]), "--dashboard-rows", *map(str, sizes["dashboard_rows"])],
        env,
    )
    print_results(results)
    write_results(results, Path(args.out))
    print(f"\n{len(results)} figures in {time.perf_counter() - started:.0f} s, written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
