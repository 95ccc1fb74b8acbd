import pytest
from django.core.exceptions import ValidationError

from common.text import StorableTextValidator, is_storable, unstorable_paths


@pytest.mark.parametrize("text", ["a\x00b", "a\ud800b", "\udfff"])
def test_is_storable_refuses_nul_and_lone_surrogates(text):
    assert is_storable(text) is False


@pytest.mark.parametrize("text", ["", "plain", "émoji 🚀", "tab\tand\nnewline"])
def test_is_storable_accepts_ordinary_text(text):
    assert is_storable(text) is True


def test_unstorable_paths_names_nested_values_and_keys():
    data = {"answers": {"summary": "a\x00b", "ok": "fine", "tags": ["x", "\ud800"]}, "bad\x00key": 1}

    assert list(unstorable_paths(data)) == [("answers", "summary"), ("answers", "tags", "1"), ("(key)",)]


def test_validator_raises_a_validation_error_with_its_code():
    with pytest.raises(ValidationError) as raised:
        StorableTextValidator()("a\x00b")

    assert raised.value.code == "unstorable"
