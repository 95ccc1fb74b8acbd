"""The API's one JSON parser: fast, and refusing what would break a view later.

orjson reads the body (a 10,000-record usage batch about twice as fast as
``json``) and already refuses NaN, numbers no double can hold, lone surrogates
and nesting past 1,024 levels. On top of that the parser refuses nesting past
``MAX_DEPTH`` (serializers and walkers recurse) and text PostgreSQL cannot
store. Where orjson's refusal is about one value, the error names its field
by its dotted path, as ``{"answers.summary": [...]}``.
"""

import json
import math
from collections.abc import Iterator

import orjson
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from common.text import UNSTORABLE_MESSAGE, unstorable_paths

MAX_DEPTH = 32
DEPTH_MESSAGE = f"JSON nested more than {MAX_DEPTH} levels deep."
TOO_LARGE_MESSAGE = "Enter a number of reasonable size."

# orjson decodes \u0000 to NUL and nothing else it accepts is unstorable, so a
# body without this escape needs no walk.
_NUL_ESCAPE = b"\\u0000"


class _TooLarge:
    """Stands for a number that overflows a double while locating it."""


_TOO_LARGE = _TooLarge()
_CONTAINERS = (dict, list)


class JSONParser(parsers.JSONParser):
    """Subclasses DRF's so that DRF reads the body through ``request.body``,
    which enforces ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""

    def parse(self, stream, media_type=None, parser_context=None) -> object:
        body = stream.read()
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise _located_error(body) or ParseError(f"JSON parse error: {exc}") from None
        if _deeper_than(data, MAX_DEPTH):
            raise ParseError(DEPTH_MESSAGE)
        if _NUL_ESCAPE in body and (error := _value_error(data)):
            raise error
        return data


def _located_error(body: bytes) -> Exception | None:
    """The error naming the value orjson refused, when ``json`` can read the
    body and find it (a lone surrogate, a number too large); else None.
    What ``json`` reads is only searched, never returned."""
    try:
        data = json.loads(body, parse_float=_finite_or_marker, parse_int=_finite_or_marker, parse_constant=_refuse)
    except (ValueError, RecursionError):
        return None
    if _deeper_than(data, MAX_DEPTH):
        return ParseError(DEPTH_MESSAGE)
    return _value_error(data)


def _finite_or_marker(text: str) -> float | _TooLarge:
    number = float(text)
    return _TOO_LARGE if math.isinf(number) else number


def _refuse(text: str) -> None:
    raise ValueError(text)


def _value_error(data: object) -> Exception | None:
    """A 400 naming each value that cannot be taken by its dotted path, or None.
    Call only on data no deeper than ``MAX_DEPTH``: the walks recurse."""
    errors = {path: [UNSTORABLE_MESSAGE] for path in unstorable_paths(data)}
    errors |= {path: [TOO_LARGE_MESSAGE] for path in _marker_paths(data)}
    if not errors:
        return None
    if () in errors:
        # The whole body is the bad value: there is no field to name.
        return ParseError(errors[()][0])
    return ValidationError({".".join(path): messages for path, messages in errors.items()})


def _marker_paths(data: object, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    if data is _TOO_LARGE:
        yield path
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _marker_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _marker_paths(value, (*path, str(index)))


def _deeper_than(data: object, limit: int) -> bool:
    # Level by level rather than recursing (orjson lets through 1,024 levels,
    # more than Python's stack), in comprehensions so that a 10,000-record
    # usage batch costs milliseconds.
    level = [data] if isinstance(data, _CONTAINERS) else []
    for _ in range(limit):
        level = [
            child
            for value in level
            for child in (value.values() if isinstance(value, dict) else value)
            if isinstance(child, _CONTAINERS)
        ]
        if not level:
            return False
    return True
