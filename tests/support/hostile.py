"""Values a client can send that a well-behaved encoder never produces, and
what the API's and the portal's hostile-input fuzzes share.

Each is a 4xx at worst: NUL and lone surrogates are text PostgreSQL cannot
store, 1e400 and NaN numbers JSON and PostgreSQL cannot hold, nesting past
Python's recursion limit, megabytes where a line is expected, the first and
last days of the calendar, and the largest bigint (twice of which overflow
any sum).
"""

import contextlib
import functools
import logging

from django.db import transaction

TEN_MEGABYTES = 10 * 1024 * 1024
BIGINT_MAX = 2**63 - 1


def nested_list(depth: int) -> str:
    return "[" * depth + "]" * depth


@functools.cache
def ten_megabytes() -> str:
    line = "Llama all the way down. "
    return (line * (TEN_MEGABYTES // len(line) + 1))[:TEN_MEGABYTES]


# Raw JSON texts, spliced into a body where a value goes: json.dumps cannot
# write a lone surrogate's escape, NaN (in strict mode) or 1e400.
JSON_VALUES: dict[str, str] = {
    "NUL": r'"a\u0000b"',
    "lone surrogate": r'"\ud800"',
    "1e400": "1e400",
    "NaN": "NaN",
    "nested 100,000 deep": nested_list(100_000),
    "bigint max": str(BIGINT_MAX),
    "date 0001-01-01": '"0001-01-01"',
    "date 9999-12-31": '"9999-12-31"',
}

# What a browser can put in a form field: anything but a lone surrogate.
FORM_VALUES: dict[str, str] = {
    "NUL": "a\x00b",
    "NaN": "NaN",
    "1e400": "1e400",
    "nested 10,000 deep": nested_list(10_000),
    "bigint max": str(BIGINT_MAX),
    "date 0001-01-01": "0001-01-01",
    "date 9999-12-31": "9999-12-31",
}

# A textarea may be read as JSON: these parse, into values PostgreSQL refuses.
JSON_TEXT_VALUES: dict[str, str] = {
    "JSON with NaN": '{"mau": NaN}',
    "JSON with 1e400": '{"mau": 1e400}',
    "JSON with NUL": '{"mau": "a\\u0000b"}',
    "JSON with a lone surrogate": '{"mau": "\\ud800"}',
}

TEN_MB_NAME = "10 MB string"


def described(response) -> str:
    """Status, content type, the exception raised if any, and the body's start."""
    error = response.exc_info[1] if response.exc_info else None
    raised = " " + " ".join(f"{type(error).__name__}: {error}".split())[:160] if error else ""
    body = b"".join(response) if response.streaming else response.content
    text = " ".join(body[:200].decode(errors="replace").split())
    return f"{response.status_code} {response.get('Content-Type', 'without a content type')}{raised} | {text}"


@contextlib.contextmanager
def unlogged_server_errors():
    """Django logs each 500 with its traceback; the list of failures says enough."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def in_savepoint(call, *args, **kwargs):
    """``call``'s answer, with whatever it wrote rolled back."""
    with transaction.atomic():
        response = call(*args, **kwargs)
        transaction.set_rollback(True)
    return response


class Failures:
    """Requests answered badly, listed one line per place, value, roles and answer."""

    def __init__(self) -> None:
        self.roles: dict[tuple[str, str, str, str], list[str]] = {}

    def add(self, *, where: str, field: str, value: str, problem: str, role: str) -> None:
        self.roles.setdefault((where, field, value, problem), []).append(role)

    def __bool__(self) -> bool:
        return bool(self.roles)

    def listing(self) -> str:
        lines: dict[tuple[str, str, str, str], list[str]] = {}
        for (where, field, value, problem), roles in self.roles.items():
            lines.setdefault((where, value, ", ".join(roles), problem), []).append(field)
        count = sum(len(roles) for roles in self.roles.values())
        return f"{count} hostile requests failed, in {len(lines)} ways:\n" + "\n".join(
            f"{where}  {value} in {', '.join(fields)}  [{roles}]  {problem}"
            for (where, value, roles, problem), fields in lines.items()
        )
