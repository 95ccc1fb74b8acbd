"""Checking a startup's answers against its round's form, on the server.

Pure functions over Question rows and plain values: the API, the portal and
the submit step all go through ``clean_answers``.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from common.fields import LONG_TEXT
from common.text import UNSTORABLE_MESSAGE, unstorable_paths
from programs.enums import QuestionKind
from programs.models import Question

DEFAULT_MAX_LENGTH: dict[str, int] = {
    QuestionKind.SHORT_TEXT: 300,
    QuestionKind.LONG_TEXT: LONG_TEXT,
    QuestionKind.URL: 2000,
}
MAX_NUMBER_EXPONENT = 18
TRUE_WORDS = {"true", "yes", "on", "1"}
FALSE_WORDS = {"false", "no", "off", "0"}


class AnswerError(ValueError):
    pass


def _clean_text(question: Question, value: object) -> str:
    if not isinstance(value, str):
        raise AnswerError("Enter text.")
    value = value.strip()
    limit = min(question.max_length or DEFAULT_MAX_LENGTH.get(question.kind, 300), LONG_TEXT)
    if len(value) > limit:
        raise AnswerError(f"Use at most {limit} characters (this has {len(value)}).")
    return value


def _clean_number(question: Question, value: object) -> int | float:
    if isinstance(value, bool):
        raise AnswerError("Enter a number.")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise AnswerError("Enter a number.") from None
    if not number.is_finite():
        raise AnswerError("Enter a number.")
    # 1e5000 is a valid Decimal but no answer: it would not fit in JSON.
    if number and abs(number.adjusted()) > MAX_NUMBER_EXPONENT:
        raise AnswerError("Enter a number of reasonable size.")
    if question.min_value is not None and number < question.min_value:
        raise AnswerError(f"Enter at least {question.min_value.normalize():f}.")
    if question.max_value is not None and number > question.max_value:
        raise AnswerError(f"Enter at most {question.max_value.normalize():f}.")
    return int(number) if number == number.to_integral_value() else float(number)


def _clean_choice(question: Question, value: object) -> str:
    if not isinstance(value, str) or value not in question.choices:
        raise AnswerError(f"Choose one of: {', '.join(question.choices)}.")
    return value


def _clean_multi_choice(question: Question, value: object) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise AnswerError("Choose from the list.")
    unknown = [item for item in value if item not in question.choices]
    if unknown:
        raise AnswerError(f"Not an option: {', '.join(unknown)}.")
    # Keep the form's order and drop repeats.
    return [choice for choice in question.choices if choice in value]


def _clean_yes_no(question: Question, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise AnswerError("Answer yes or no.")


def _clean_url(question: Question, value: object) -> str:
    text = _clean_text(question, value) if isinstance(value, str) else None
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        raise AnswerError("Enter a full web address, starting with https://.") from None
    return text  # type: ignore[return-value]


def _clean_email(question: Question, value: object) -> str:
    text = value.strip().lower() if isinstance(value, str) else ""
    try:
        EmailValidator()(text)
    except ValidationError:
        raise AnswerError("Enter a valid e-mail address.") from None
    return text


def _clean_date(question: Question, value: object) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise AnswerError("Enter a date as YYYY-MM-DD.") from None


CLEANERS: dict[str, Callable[[Question, object], object]] = {
    QuestionKind.SHORT_TEXT: lambda q, v: _clean_text(q, v),
    QuestionKind.LONG_TEXT: lambda q, v: _clean_text(q, v),
    QuestionKind.NUMBER: _clean_number,
    QuestionKind.CHOICE: _clean_choice,
    QuestionKind.MULTI_CHOICE: _clean_multi_choice,
    QuestionKind.YES_NO: _clean_yes_no,
    QuestionKind.URL: _clean_url,
    QuestionKind.EMAIL: _clean_email,
    QuestionKind.DATE: _clean_date,
}


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def clean_answers(
    questions: Iterable[Question], raw: Mapping[str, object]
) -> tuple[dict[str, object], dict[str, list[str]]]:
    """Cleaned values for the answers given, and errors keyed by question key.

    Blank answers clean to ``None`` (a draft may leave anything blank); file
    questions are answered by uploading an attachment, not here.
    """
    by_key = {question.key: question for question in questions}
    cleaned: dict[str, object] = {}
    errors: dict[str, list[str]] = {}
    for key, value in raw.items():
        question = by_key.get(key)
        if question is None:
            errors[key] = ["This round's form has no such question."]
            continue
        if question.kind == QuestionKind.FILE:
            errors[key] = ["Upload the file as an attachment."]
            continue
        if next(unstorable_paths(value), None) is not None:
            errors[key] = [UNSTORABLE_MESSAGE]
            continue
        if is_blank(value):
            cleaned[key] = None
            continue
        try:
            cleaned[key] = CLEANERS[question.kind](question, value)
        except AnswerError as exc:
            errors[key] = [str(exc)]
    return cleaned, errors


def missing_required(
    questions: Iterable[Question], answers: Mapping[str, object], attached_keys: set[str]
) -> dict[str, list[str]]:
    """Errors for every required question still unanswered."""
    errors: dict[str, list[str]] = {}
    for question in questions:
        if not question.required:
            continue
        answered = (
            question.key in attached_keys
            if question.kind == QuestionKind.FILE
            else not is_blank(answers.get(question.key))
        )
        if not answered:
            errors[question.key] = ["This question is required."]
    return errors
