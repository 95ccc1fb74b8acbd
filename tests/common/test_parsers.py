import io

import pytest
from rest_framework.exceptions import ParseError, ValidationError

from common.parsers import DEPTH_MESSAGE, MAX_DEPTH, JSONParser
from common.text import UNSTORABLE_MESSAGE


def parse(body: str) -> object:
    return JSONParser().parse(io.BytesIO(body.encode()))


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_parser_reads_json_nested_up_to_the_limit():
    assert parse(nested(MAX_DEPTH)) is not None


def test_parser_refuses_json_nested_past_the_limit():
    with pytest.raises(ParseError) as raised:
        parse(nested(MAX_DEPTH + 1))

    assert raised.value.detail == DEPTH_MESSAGE


def test_parser_names_a_key_holding_nul_by_its_path():
    with pytest.raises(ValidationError) as raised:
        parse('{"records": [{"model\\u0000": 1}]}')

    assert raised.value.detail == {"records.0.(key)": [UNSTORABLE_MESSAGE]}


def test_parser_refuses_a_body_that_is_unstorable_text_without_naming_a_field():
    with pytest.raises(ParseError) as raised:
        parse('"\\ud800"')

    assert raised.value.detail == UNSTORABLE_MESSAGE


def test_parser_takes_an_escaped_backslash_before_u0000_as_plain_text():
    assert parse('{"note": "\\\\u0000"}') == {"note": "\\u0000"}


@pytest.mark.parametrize("body", ["NaN", '{"a": Infinity}', "[1,]", '{"a": 1e400'])
def test_parser_refuses_what_is_not_json(body):
    with pytest.raises(ParseError) as raised:
        parse(body)

    assert str(raised.value.detail).startswith("JSON parse error: ")
