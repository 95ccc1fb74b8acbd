"""What a check-in's metrics may hold: a flat mapping of short names to finite
numbers of reasonable size or short texts, all of which jsonb can store.

Pure functions over the parsed value: the portal's form parses the JSON text,
``services.checkin_submit`` checks the result here.
"""

import json
import math

from common.text import is_storable

MAX_METRICS = 50
MAX_NAME_LENGTH = 100
MAX_TEXT_LENGTH = 200
# Up to a quadrillion: users, requests, dollars; beyond it a number is a typo,
# and jsonb's numbers stay exact.
MAX_NUMBER = 10**15
# Enough for MAX_METRICS entries; also bounds how deep the parser may recurse.
MAX_JSON_LENGTH = 10_000
EXAMPLE = '{"monthly_active_users": 1200, "stage": "beta"}'


class MetricsSyntaxError(ValueError):
    pass


def parse_metrics(text: str) -> object:
    """The value of the JSON text, for ``clean_metrics`` to check."""
    if len(text) > MAX_JSON_LENGTH:
        raise MetricsSyntaxError(f"Keep the metrics under {MAX_JSON_LENGTH:,} characters.")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise MetricsSyntaxError(f"Write the metrics as a JSON object, e.g. {EXAMPLE}.") from None


def _value_problem(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return "use a number or a short text"
    if isinstance(value, str):
        if not is_storable(value):
            return "remove the invisible control characters"
        if len(value) > MAX_TEXT_LENGTH:
            return f"use at most {MAX_TEXT_LENGTH} characters"
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return "use a finite number"
    if abs(value) > MAX_NUMBER:
        return f"use a number between -{MAX_NUMBER:,} and {MAX_NUMBER:,}"
    return None


def clean_metrics(metrics: object) -> tuple[dict[str, object], list[str]]:
    """The metrics with names stripped, and what is wrong with them (empty
    when nothing is). ``None`` or ``""`` mean no metrics."""
    if metrics in (None, ""):
        return {}, []
    if not isinstance(metrics, dict):
        return {}, [f"Metrics must be a JSON object, e.g. {EXAMPLE}."]
    if len(metrics) > MAX_METRICS:
        return {}, [f"Report at most {MAX_METRICS} metrics (this has {len(metrics)})."]
    cleaned: dict[str, object] = {}
    problems: list[str] = []
    for raw_name, value in metrics.items():
        name = raw_name.strip() if isinstance(raw_name, str) else ""
        shown = repr(name[:MAX_NAME_LENGTH]) if is_storable(name) else "a name"
        if not name:
            problems.append("Give every metric a name.")
        elif not is_storable(name):
            problems.append("Remove the invisible control characters from the metric names.")
        elif len(name) > MAX_NAME_LENGTH:
            problems.append(f"{shown}…: use a name of at most {MAX_NAME_LENGTH} characters.")
        elif (problem := _value_problem(value)) is not None:
            problems.append(f"{shown}: {problem}.")
        else:
            cleaned[name] = value
    return cleaned, problems
