import pytest
from django.core.exceptions import ValidationError

from demo.programs import RULES
from programs.eligibility import check_rule_definition, evaluate
from programs.enums import RuleOperator, RuleSeverity
from programs.models import EligibilityRule

US = "The program is open to startups incorporated in the United States."
FUNDING = "The program is for startups that have raised less than USD 10M in total."
DEVELOPERS = "You need at least one developer on staff."
LLAMA = "The program is for startups building generative-AI products with Llama models."


def llama_rules() -> list[EligibilityRule]:
    return [EligibilityRule(id=index, severity=RuleSeverity.HARD, **rule) for index, rule in enumerate(RULES)]


def facts(country: str, funding: int, developers: int, llama: bool) -> dict[str, object]:
    return {
        "startup.incorporation_country": country,
        "startup.total_funding_usd": funding,
        "startup.developer_count": developers,
        "answer.builds_with_llama": llama,
    }


@pytest.mark.parametrize(
    ("country", "funding", "developers", "llama", "eligible", "messages"),
    [
        ("US", 9_900_000, 1, True, True, []),
        ("US", 10_000_000, 1, True, False, [FUNDING]),
        ("US", 12_000_000, 1, True, False, [FUNDING]),
        ("US", 9_900_000, 0, True, False, [DEVELOPERS]),
        ("US", 9_900_000, 1, False, False, [LLAMA]),
        ("CA", 9_900_000, 1, True, False, [US]),
        ("CA", 12_000_000, 0, False, False, [US, FUNDING, DEVELOPERS, LLAMA]),
        ("us", 0, 1, True, True, []),
        ("GB", 10_000_000, 0, True, False, [US, FUNDING, DEVELOPERS]),
    ],
)
def test_llama_for_startups_rules(country, funding, developers, llama, eligible, messages):
    result = evaluate(llama_rules(), facts(country, funding, developers, llama))

    assert result.is_eligible is eligible
    assert result.failure_messages == messages


def test_every_rule_reports_an_outcome_in_order():
    result = evaluate(llama_rules(), facts("US", 1, 1, True))

    assert [outcome.field for outcome in result.outcomes] == [rule["field"] for rule in RULES]
    assert all(outcome.passed for outcome in result.outcomes)


def test_missing_fact_fails_and_says_so():
    result = evaluate(llama_rules(), {"startup.incorporation_country": "US"})

    assert [outcome.missing for outcome in result.outcomes] == [False, True, True, True]
    assert result.is_eligible is False


def test_soft_failure_flags_without_failing():
    rule = EligibilityRule(
        id=1,
        field="startup.developer_count",
        operator=RuleOperator.GREATER_OR_EQUAL,
        value=3,
        severity=RuleSeverity.SOFT,
        failure_message="We prefer teams of three developers or more.",
    )

    result = evaluate([rule], {"startup.developer_count": 2})

    assert (result.is_eligible, result.is_flagged) == (True, True)
    assert [outcome.message for outcome in result.soft_failures] == ["We prefer teams of three developers or more."]


@pytest.mark.parametrize(
    ("operator", "value", "actual", "passed"),
    [
        (RuleOperator.IN, ["US", "CA"], "ca", True),
        (RuleOperator.NOT_IN, ["US", "CA"], "FR", True),
        (RuleOperator.CONTAINS, "Llama 3.1 8B", ["Llama 3.1 8B", "Llama Guard"], True),
        (RuleOperator.CONTAINS, "llama", "We fine-tune Llama", True),
        (RuleOperator.NOT_EQUALS, "US", "US", False),
        (RuleOperator.LESS_OR_EQUAL, 10, 10, True),
        (RuleOperator.GREATER_THAN, "2020-01-01", "2021-06-30", True),
        (RuleOperator.LESS_THAN, 10, "not a number", False),
        (RuleOperator.IS_FALSE, None, False, True),
    ],
)
def test_operators(operator, value, actual, passed):
    rule = EligibilityRule(id=1, field="answer.x", operator=operator, value=value, failure_message="no")

    assert evaluate([rule], {"answer.x": actual}).outcomes[0].passed is passed


def test_rule_on_an_unknown_profile_field_is_refused():
    with pytest.raises(ValidationError, match=r"answer\.<question key>"):
        check_rule_definition(field="startup.shoe_size", operator=RuleOperator.EQUALS, value=1)


def test_list_operator_needs_a_list():
    with pytest.raises(ValidationError, match="list"):
        check_rule_definition(field="startup.country", operator=RuleOperator.IN, value="US")
