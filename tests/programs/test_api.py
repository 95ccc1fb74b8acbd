import datetime

import pytest
from django.utils import timezone

from programs.enums import QuestionKind, RuleSeverity
from tests.factories import (
    BenefitFactory,
    CohortFactory,
    EligibilityRuleFactory,
    ProgramFactory,
    QuestionFactory,
    UserFactory,
)
from tests.support.api import client_for

pytestmark = pytest.mark.django_db


def closed_round(**kwargs):
    now = timezone.now()
    return CohortFactory(
        opens_at=now - datetime.timedelta(days=30), closes_at=now - datetime.timedelta(days=1), **kwargs
    )


def test_program_list_is_public():
    program = ProgramFactory(name="Llama for Startups")

    response = client_for(None).get("/api/v1/programs/")

    assert response.status_code == 200
    assert [p["slug"] for p in response.json()["results"]] == [program.slug]


def test_program_list_hides_unpublished_programs():
    ProgramFactory(is_published=False)

    response = client_for(None).get("/api/v1/programs/")

    assert response.json()["count"] == 0


def test_program_list_shows_only_open_rounds():
    program = ProgramFactory()
    open_round = CohortFactory(program=program)
    closed_round(program=program)

    response = client_for(None).get("/api/v1/programs/")

    assert [r["id"] for r in response.json()["results"][0]["open_rounds"]] == [open_round.pk]


def test_program_list_order_is_stable_for_equal_names():
    first, second = ProgramFactory(name="Same"), ProgramFactory(name="Same")

    response = client_for(None).get("/api/v1/programs/")

    assert [p["slug"] for p in response.json()["results"]] == [first.slug, second.slug]


@pytest.mark.parametrize(("rows", "queries"), [(1, 4), (3, 4)])
def test_program_list_query_count_is_constant(django_assert_num_queries, rows, queries):
    for _ in range(rows):
        program = ProgramFactory()
        CohortFactory(program=program)
        BenefitFactory(program=program)
    client = client_for(None)

    with django_assert_num_queries(queries):
        response = client.get("/api/v1/programs/")

    assert response.json()["count"] == rows


def test_program_detail_shows_benefits_and_eligibility_sentences():
    program = ProgramFactory()
    BenefitFactory(program=program, name="Monthly funding", amount=6000, months=6)
    EligibilityRuleFactory(program=program, failure_message="Incorporate in the US.", severity=RuleSeverity.HARD)

    response = client_for(None).get(f"/api/v1/programs/{program.slug}/")

    assert response.status_code == 200
    body = response.json()
    assert body["benefits"] == [
        {
            "name": "Monthly funding",
            "kind": "monthly_stipend",
            "description": "",
            "amount": 6000.0,
            "currency": "USD",
            "months": 6,
        }
    ]
    assert body["eligibility_rules"] == [
        {"field": "startup.incorporation_country", "severity": "hard", "sentence": "Incorporate in the US."}
    ]


def test_program_detail_of_unpublished_program_is_404():
    program = ProgramFactory(is_published=False)

    response = client_for(None).get(f"/api/v1/programs/{program.slug}/")

    assert response.status_code == 404


def test_round_list_shows_open_rounds_only():
    open_round = CohortFactory()
    closed_round()
    CohortFactory(program=ProgramFactory(is_published=False))

    response = client_for(None).get("/api/v1/rounds/")

    assert [r["id"] for r in response.json()["results"]] == [open_round.pk]


def test_round_list_filters_by_program_slug():
    wanted = CohortFactory()
    CohortFactory()

    response = client_for(None).get("/api/v1/rounds/", {"program": wanted.program.slug})

    assert [r["id"] for r in response.json()["results"]] == [wanted.pk]


def test_round_list_answers_the_same_to_a_logged_in_user():
    CohortFactory()

    response = client_for(UserFactory()).get("/api/v1/rounds/")

    assert response.json()["count"] == 1


@pytest.mark.parametrize(("rows", "queries"), [(1, 2), (3, 2)])
def test_round_list_query_count_is_constant(django_assert_num_queries, rows, queries):
    CohortFactory.create_batch(rows)
    client = client_for(None)

    with django_assert_num_queries(queries):
        response = client.get("/api/v1/rounds/")

    assert response.json()["count"] == rows


def test_round_detail_lists_its_questions_in_order():
    cohort = CohortFactory()
    QuestionFactory(cohort=cohort, key="stage", order=2, kind=QuestionKind.CHOICE, choices=["idea", "revenue"])
    QuestionFactory(
        cohort=cohort,
        key="team_size",
        label="How many people?",
        help_text="Full-time.",
        order=1,
        kind=QuestionKind.NUMBER,
        required=True,
        min_value=1,
        max_value=500,
    )

    response = client_for(None).get(f"/api/v1/rounds/{cohort.pk}/")

    assert response.status_code == 200
    questions = response.json()["questions"]
    assert [q["key"] for q in questions] == ["team_size", "stage"]
    assert questions[0] == {
        "key": "team_size",
        "label": "How many people?",
        "help_text": "Full-time.",
        "kind": "number",
        "required": True,
        "order": 1,
        "choices": [],
        "max_length": None,
        "min_value": 1.0,
        "max_value": 500.0,
    }
    assert questions[1]["choices"] == ["idea", "revenue"]


def test_round_detail_of_closed_round_is_404():
    cohort = closed_round()

    response = client_for(None).get(f"/api/v1/rounds/{cohort.pk}/")

    assert response.status_code == 404


def test_public_endpoints_ignore_a_bad_token():
    CohortFactory()
    client = client_for(None)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = client.get("/api/v1/rounds/")

    assert response.status_code == 200


def test_round_detail_with_an_id_that_is_not_a_number_is_json_404():
    response = client_for(None).get("/api/v1/rounds/null,null/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_unknown_page_outside_the_api_stays_html():
    response = client_for(None).get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_round_list_with_a_null_character_in_the_filter_is_400():
    response = client_for(None).get("/api/v1/rounds/", {"program": "llama\x00"})

    assert response.status_code == 400
    assert list(response.json()) == ["program"]
