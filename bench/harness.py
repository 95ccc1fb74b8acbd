"""Pieces every benchmark shares: a scratch PostgreSQL database, a gunicorn
server, wrk, and the results table with each figure beside its floor."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres"


# Units where less is better: for them the ratio is floor / value, so that a
# ratio is always "how close to the floor", 1 being as good as the floor.
LOWER_IS_BETTER = {"ms", "s", "reviews", "MiB"}


@dataclass
class Result:
    """One figure. ``id`` is stable across runs and sizes (``http.reviewer_queue``,
    ``dashboard.10m``...), so results can be compared over time; ``name`` is for people."""

    id: str
    name: str
    value: float
    unit: str
    floor_name: str = ""
    floor_value: float | None = None
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.floor_value is None:
            return None
        if self.unit in LOWER_IS_BETTER:
            # A value of zero (a spread of 0, say) cannot be beaten by any floor.
            return self.floor_value / self.value if self.value else 1.0
        return self.value / self.floor_value if self.floor_value else None

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "ratio": self.ratio}


def bench_database_name() -> str:
    """The scratch database, from BENCH_DATABASE_NAME: two runs on one server
    must not drop each other's database."""
    name = os.environ.get("BENCH_DATABASE_NAME") or "runway_bench"
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise SystemExit("BENCH_DATABASE_NAME must be a plain lower-case PostgreSQL name (letters, digits, _).")
    return name


def bench_database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL") or DEFAULT_SERVER_URL
    if not base.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Benchmarks run on PostgreSQL: set DATABASE_URL to a PostgreSQL server.")
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(url: str) -> None:
    """Drop and create the database ``url`` names, connecting to the server's ``postgres`` database."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def django_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench", "DATABASE_URL": database_url}
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str], quiet: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        text=True,
        capture_output=quiet,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn on loopback with sync workers (never slower than gthread here)."""

    def __init__(self, env: dict[str, str], workers: int = 2) -> None:
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "Gunicorn":
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "config.wsgi",
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                "--log-level", "warning",
            ],
            cwd=BASE_DIR,
            env=self.env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/bench/bare/", timeout=1):  # noqa: S310 - loopback only
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def wrk(url: str, *, seconds: int, connections: int = 8, headers: dict[str, str] | None = None) -> float:
    """Requests per second that wrk measured against ``url`` (loopback only)."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("benchmarks send traffic to 127.0.0.1 only")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench` installs it (apt-get install wrk).")
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise RuntimeError(f"{url} answered {non_2xx.group(1)} errors under load:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def write_results(results: list[Result], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([result.as_dict() for result in results], indent=2))


def print_results(results: list[Result]) -> None:
    print()
    print(f"{'id':<24} {'benchmark':<46} {'value':>14} {'unit':<10} {'floor':<40} {'floor value':>12} {'ratio':>7}")
    for result in results:
        floor = f"{result.floor_value:,.2f}" if result.floor_value is not None else "-"
        ratio = f"{result.ratio:.2f}" if result.ratio is not None else "-"
        print(
            f"{result.id:<24} {result.name:<46} {result.value:>14,.2f} {result.unit:<10} "
            f"{result.floor_name or '-':<40} {floor:>12} {ratio:>7}"
        )
