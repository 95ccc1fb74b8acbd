"""The eligibility engine: rules over facts, with no database and no side effects.

Facts are a flat mapping such as ``{"startup.incorporation_country": "US",
"answer.builds_with_llama": True}``; the caller decides where they come from.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Protocol

from django.core.exceptions import ValidationError

from programs.enums import RuleOperator, RuleSeverity

# The startup profile fields a rule may test. The profile lives in applicants,
# which builds on this app, so the names are listed here rather than imported.
STARTUP_RULE_FIELDS = {
    "startup.incorporation_country": "Country of incorporation",
    "startup.country": "Country of headquarters",
    "startup.total_funding_usd": "Total funding raised (USD)",
    "startup.developer_count": "Developers on staff",
    "startup.founded_on": "Founded on",
}
ANSWER_FIELD_PREFIX = "answer."

ORDERED_OPERATORS = frozenset(
    {RuleOperator.LESS_THAN, RuleOperator.LESS_OR_EQUAL, RuleOperator.GREATER_THAN, RuleOperator.GREATER_OR_EQUAL}
)
LIST_OPERATORS = frozenset({RuleOperator.IN, RuleOperator.NOT_IN})
VALUELESS_OPERATORS = frozenset({RuleOperator.IS_TRUE, RuleOperator.IS_FALSE})


class RuleLike(Protocol):
    """What the engine reads of a rule: an EligibilityRule, or anything shaped like one."""

    @property
    def id(self) -> int | None: ...
    @property
    def field(self) -> str: ...
    @property
    def operator(self) -> str: ...
    @property
    def value(self) -> object: ...
    @property
    def failure_message(self) -> str: ...
    @property
    def severity(self) -> str: ...


@dataclass(frozen=True)
class RuleOutcome:
    rule_id: int | None
    field: str
    passed: bool
    severity: str
    message: str
    missing: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "rule_id": self.rule_id,
            "field": self.field,
            "passed": self.passed,
            "severity": self.severity,
            "message": self.message,
            "missing": self.missing,
        }


@dataclass(frozen=True)
class EligibilityResult:
    outcomes: tuple[RuleOutcome, ...]

    @property
    def hard_failures(self) -> list[RuleOutcome]:
        return [o for o in self.outcomes if not o.passed and o.severity == RuleSeverity.HARD]

    @property
    def soft_failures(self) -> list[RuleOutcome]:
        return [o for o in self.outcomes if not o.passed and o.severity == RuleSeverity.SOFT]

    @property
    def is_eligible(self) -> bool:
        return not self.hard_failures

    @property
    def is_flagged(self) -> bool:
        return bool(self.soft_failures)

    @property
    def failure_messages(self) -> list[str]:
        return [o.message for o in self.outcomes if not o.passed]

    def as_dict(self) -> dict[str, object]:
        return {
            "eligible": self.is_eligible,
            "flagged": self.is_flagged,
            "outcomes": [o.as_dict() for o in self.outcomes],
        }


def _as_number(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _as_comparable(value: object) -> object:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    number = _as_number(value)
    if number is not None:
        return number
    if isinstance(value, str):
        return value.strip().casefold()
    return value


def _is_missing(value: object) -> bool:
    return value is None or value == "" or value == []


def _passes(operator: str, actual: object, expected: object) -> bool:
    if operator == RuleOperator.IS_TRUE:
        return actual is True or (isinstance(actual, str) and actual.casefold() in {"yes", "true"})
    if operator == RuleOperator.IS_FALSE:
        return actual is False or (isinstance(actual, str) and actual.casefold() in {"no", "false"})
    if operator in LIST_OPERATORS:
        options = {_as_comparable(item) for item in expected} if isinstance(expected, list) else set()
        found = _as_comparable(actual) in options
        return found if operator == RuleOperator.IN else not found
    if operator == RuleOperator.CONTAINS:
        if isinstance(actual, list):
            return _as_comparable(expected) in {_as_comparable(item) for item in actual}
        return str(expected).casefold() in str(actual).casefold()
    left, right = _as_comparable(actual), _as_comparable(expected)
    if operator == RuleOperator.EQUALS:
        return left == right
    if operator == RuleOperator.NOT_EQUALS:
        return left != right
    if type(left) is not type(right):
        return False
    try:
        if operator == RuleOperator.LESS_THAN:
            return left < right  # type: ignore[operator]
        if operator == RuleOperator.LESS_OR_EQUAL:
            return left <= right  # type: ignore[operator]
        if operator == RuleOperator.GREATER_THAN:
            return left > right  # type: ignore[operator]
        if operator == RuleOperator.GREATER_OR_EQUAL:
            return left >= right  # type: ignore[operator]
    except TypeError:
        return False
    raise ValueError(f"unknown operator {operator!r}")


def evaluate_rule(rule: RuleLike, facts: Mapping[str, object]) -> RuleOutcome:
    actual = facts.get(rule.field)
    missing = _is_missing(actual)
    passed = False if missing else _passes(rule.operator, actual, rule.value)
    return RuleOutcome(
        rule_id=rule.id,
        field=rule.field,
        passed=passed,
        severity=rule.severity,
        message="" if passed else rule.failure_message,
        missing=missing,
    )


def evaluate(rules: Iterable[RuleLike], facts: Mapping[str, object]) -> EligibilityResult:
    """Every rule's outcome, in the rules' order. Pure: reads nothing else."""
    return EligibilityResult(outcomes=tuple(evaluate_rule(rule, facts) for rule in rules))


def check_rule_definition(*, field: str, operator: str, value: object) -> None:
    """Raise ValidationError when a rule could never be evaluated meaningfully."""
    if field not in STARTUP_RULE_FIELDS and not (
        field.startswith(ANSWER_FIELD_PREFIX) and len(field) > len(ANSWER_FIELD_PREFIX)
    ):
        known = ", ".join(sorted(STARTUP_RULE_FIELDS))
        raise ValidationError({"field": f"Use one of {known}, or answer.<question key>."})
    if operator in LIST_OPERATORS and not isinstance(value, list):
        raise ValidationError({"value": 'This operator compares with a list, e.g. ["US", "CA"].'})
    if operator in ORDERED_OPERATORS and _as_number(value) is None and not isinstance(value, str):
        raise ValidationError({"value": "This operator compares with a number or a date."})
    if operator not in VALUELESS_OPERATORS and value is None:
        raise ValidationError({"value": "This operator needs a value."})
