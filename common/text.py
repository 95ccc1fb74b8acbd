"""Text that PostgreSQL can store and JSON can carry.

PostgreSQL refuses the NUL character in text and jsonb, and a lone UTF-16
surrogate cannot be encoded as UTF-8 at all: either one reaching the database
or a renderer is a 500. Every edge that takes text (the API's parser, forms,
answer and metric cleaning) checks it here, so the refusal reads the same
everywhere and names the field.
"""

import re
from collections.abc import Iterator, Mapping

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "Remove the invisible control characters (NUL or unpaired surrogates) from this text."


def is_storable(text: str) -> bool:
    return _UNSTORABLE.search(text) is None


def unstorable_paths(data: object, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The paths (keys and list indexes) of every string in ``data``, keys
    included, that cannot be stored."""
    if isinstance(data, str):
        if not is_storable(data):
            yield path
    elif isinstance(data, Mapping):
        for key, value in data.items():
            if isinstance(key, str) and not is_storable(key):
                yield (*path, "(key)")
                continue
            yield from unstorable_paths(value, (*path, str(key)))
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from unstorable_paths(value, (*path, str(index)))


@deconstructible
class StorableTextValidator:
    """Refuses NUL and unpaired surrogates: for model, form and serializer fields."""

    message = UNSTORABLE_MESSAGE
    code = "unstorable"

    def __call__(self, value: object) -> None:
        if isinstance(value, str) and not is_storable(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StorableTextValidator)

    def __hash__(self) -> int:
        return hash(self.code)
