from decimal import Decimal

import pytest

from applicants.answers import clean_answers, missing_required
from common.text import UNSTORABLE_MESSAGE
from programs.enums import QuestionKind
from programs.models import Question


def question(key: str, kind: str, **extra) -> Question:
    return Question(key=key, label=key, kind=kind, **extra)


FORM = [
    question("name", QuestionKind.SHORT_TEXT, required=True, max_length=10),
    question("users", QuestionKind.NUMBER, min_value=Decimal(0), max_value=Decimal(1000)),
    question("stage", QuestionKind.CHOICE, choices=["Idea", "Launched"]),
    question("models", QuestionKind.MULTI_CHOICE, choices=["A", "B", "C"]),
    question("llama", QuestionKind.YES_NO, required=True),
    question("site", QuestionKind.URL),
    question("contact", QuestionKind.EMAIL),
    question("launch", QuestionKind.DATE),
    question("deck", QuestionKind.FILE, required=True),
]


def test_valid_answers_are_cleaned():
    cleaned, errors = clean_answers(
        FORM,
        {
            "name": "  Acme ",
            "users": "1,000",
            "stage": "Idea",
            "models": ["C", "A", "A"],
            "llama": "yes",
            "site": "https://acme.example",
            "contact": "Ada@Acme.Example",
            "launch": "2026-01-31",
        },
    )

    assert errors == {}
    assert cleaned == {
        "name": "Acme",
        "users": 1000,
        "stage": "Idea",
        "models": ["A", "C"],
        "llama": True,
        "site": "https://acme.example",
        "contact": "ada@acme.example",
        "launch": "2026-01-31",
    }


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("name", "x" * 11, "Use at most 10 characters (this has 11)."),
        ("users", "many", "Enter a number."),
        ("users", 1001, "Enter at most 1000."),
        ("users", -1, "Enter at least 0."),
        ("stage", "Scaling", "Choose one of: Idea, Launched."),
        ("models", ["D"], "Not an option: D."),
        ("llama", "maybe", "Answer yes or no."),
        ("site", "acme", "Enter a full web address, starting with https://."),
        ("site", "javascript:alert(1)", "Enter a full web address, starting with https://."),
        ("contact", "nobody", "Enter a valid e-mail address."),
        ("launch", "31/01/2026", "Enter a date as YYYY-MM-DD."),
        ("deck", "deck.pdf", "Upload the file as an attachment."),
        ("unknown", "x", "This round's form has no such question."),
        ("name", "a\x00b", UNSTORABLE_MESSAGE),
        ("stage", "\ud800", UNSTORABLE_MESSAGE),
        ("models", ["A", "\udfff"], UNSTORABLE_MESSAGE),
    ],
)
def test_invalid_answer_names_its_question(key, value, message):
    cleaned, errors = clean_answers(FORM, {key: value})

    assert errors == {key: [message]}
    assert key not in cleaned


def test_blank_answers_clean_to_none():
    cleaned, errors = clean_answers(FORM, {"name": "  ", "models": []})

    assert (cleaned, errors) == ({"name": None, "models": None}, {})


def test_missing_required_counts_attachments_for_file_questions():
    errors = missing_required(FORM, {"name": "Acme", "llama": False}, attached_keys=set())

    assert errors == {"deck": ["This question is required."]}
    assert missing_required(FORM, {"name": "Acme", "llama": False}, attached_keys={"deck"}) == {}


@pytest.mark.parametrize("value", ["1e5000", "-1e400", "1e-400"])
def test_numbers_too_large_or_small_for_json_are_refused(value):
    _, errors = clean_answers([question("n", QuestionKind.NUMBER)], {"n": value})

    assert errors == {"n": ["Enter a number of reasonable size."]}
