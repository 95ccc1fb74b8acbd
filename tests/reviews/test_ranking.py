import math

import pytest

from reviews import selectors, services
from tests.reviews.conftest import make_manager, make_reviewer, make_submitted, submit_review

pytestmark = pytest.mark.django_db


def _score(cohort, criterion, manager, reviewer, application, value):
    assignment = services.assignment_create(application=application, reviewer=reviewer, actor=manager)
    submit_review(assignment, {criterion.pk: value})


@pytest.fixture
def harsh_and_lenient(cohort, criterion):
    """Five applications, one criterion from 1 to 10. A harsh reviewer scores A, B, C
    2, 4, 3; a lenient one scores C, D, E 9, 8, 7."""
    manager = make_manager(cohort.program)
    harsh, lenient = make_reviewer(cohort.program), make_reviewer(cohort.program)
    apps = {name: make_submitted(cohort, name=f"App {name}") for name in "ABCDE"}
    for name, value in {"A": 2, "B": 4, "C": 3}.items():
        _score(cohort, criterion, manager, harsh, apps[name], value)
    for name, value in {"C": 9, "D": 8, "E": 7}.items():
        _score(cohort, criterion, manager, lenient, apps[name], value)
    return apps, harsh, lenient


def test_ranking_normalises_a_harsh_and_a_lenient_reviewer_as_computed_by_hand(cohort, harsh_and_lenient):
    apps, _, _ = harsh_and_lenient
    # Both reviewers' scores sit one point either side of their own mean (3 and 8),
    # so both have a population standard deviation of sqrt(2/3) and z = ±1/sqrt(2/3).
    z = 1 / math.sqrt(2 / 3)
    expected = {"A": -z, "B": z, "C": (0 + z) / 2, "D": 0.0, "E": -z}
    # Normalised: B, C, D, then A and E tie at -z and the raw mean (7 against 2)
    # puts E first. The raw means alone would have ranked D, E, C, B, A.
    by_id = {application.pk: name for name, application in apps.items()}

    rows = selectors.ranking_list(cohort=cohort)

    assert [by_id[row.application_id] for row in rows] == ["B", "C", "D", "E", "A"]
    assert {by_id[row.application_id]: round(row.normalised_mean, 6) for row in rows} == {
        name: round(value, 6) for name, value in expected.items()
    }
    assert {by_id[row.application_id]: row.raw_mean for row in rows} == {"A": 2, "B": 4, "C": 6, "D": 8, "E": 7}


def test_ranking_reports_spread_and_review_count(cohort, harsh_and_lenient):
    apps, _, _ = harsh_and_lenient

    row = next(row for row in selectors.ranking_list(cohort=cohort) if row.application_id == apps["C"].pk)

    assert (row.review_count, row.spread) == (2, 3.0)


def test_ranking_puts_unreviewed_applications_last_in_submission_order(cohort, harsh_and_lenient):
    manager = make_manager(cohort.program)
    late = make_submitted(cohort)
    services.assignment_create(application=late, reviewer=make_reviewer(cohort.program), actor=manager)

    rows = selectors.ranking_list(cohort=cohort)

    assert (rows[-1].application_id, rows[-1].review_count, rows[-1].normalised_mean) == (late.pk, 0, None)


def test_reviewer_toughness_shows_each_reviewers_offset_from_the_round(cohort, harsh_and_lenient):
    _, harsh, lenient = harsh_and_lenient

    toughness = selectors.reviewer_toughness(cohort=cohort)

    # The round's mean is (2+4+3+9+8+7)/6 = 5.5.
    assert [(row.reviewer_id, row.mean, row.offset) for row in toughness] == [
        (harsh.pk, 3.0, -2.5),
        (lenient.pk, 8.0, 2.5),
    ]
