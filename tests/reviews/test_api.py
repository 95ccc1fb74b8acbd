import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from applicants.enums import ApplicationStatus
from applicants.models import Application
from reviews import services
from reviews.api.views import AssignmentCursorPagination, RoundApplicationCursorPagination
from reviews.enums import DecisionKind, OfferStatus
from reviews.models import Decision, Offer, Review
from tests.factories import ApplicationFactory, CohortFactory, CriterionFactory, UserFactory
from tests.reviews.conftest import (
    IDENTITY,
    disguise_answers,
    founder_of,
    make_in_review,
    make_manager,
    make_reviewer,
    make_submitted,
    submit_review,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/reviews"
# JSON and long text no list shows: the answers, the eligibility report, the startup's description.
LONG_COLUMNS = ('"answers"', '"eligibility"', '"description"')


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def manager(cohort):
    return make_manager(cohort.program)


@pytest.fixture
def reviewer(cohort):
    return make_reviewer(cohort.program)


@pytest.fixture
def assignment(cohort, reviewer, manager):
    return services.assignment_create(application=make_submitted(cohort), reviewer=reviewer, actor=manager)


# --- Assignments --------------------------------------------------------------------


def test_assignment_list_is_refused_without_login(api):
    assert api.get(f"{API}/assignments/").status_code == 401


@pytest.mark.parametrize("rows", [1, 3])
def test_assignment_list_query_count_does_not_grow_with_rows(
    api, django_assert_num_queries, cohort, reviewer, manager, rows
):
    CriterionFactory(program=cohort.program)
    for _ in range(rows):
        services.assignment_create(application=make_submitted(cohort), reviewer=reviewer, actor=manager)
    api.force_authenticate(reviewer)

    # one keyset page of assignments with progress, no count
    with django_assert_num_queries(1):
        response = api.get(f"{API}/assignments/")

    assert len(response.data["results"]) == rows


def test_assignment_list_shows_only_the_callers_assignments(api, cohort, manager, assignment):
    other = make_reviewer(cohort.program)
    services.assignment_create(application=make_submitted(cohort), reviewer=other, actor=manager)
    api.force_authenticate(assignment.reviewer)

    response = api.get(f"{API}/assignments/")

    assert [row["id"] for row in response.data["results"]] == [assignment.pk]


def test_assignment_list_filters_by_round(api, cohort, reviewer, manager, assignment):
    api.force_authenticate(reviewer)

    response = api.get(f"{API}/assignments/", {"cohort": cohort.pk + 1000})

    assert response.data["results"] == []


def test_assignment_list_reads_only_the_columns_it_shows(api, cohort, assignment):
    api.force_authenticate(assignment.reviewer)

    with CaptureQueriesContext(connection) as queries:
        api.get(f"{API}/assignments/")

    sql = " ".join(query["sql"] for query in queries)
    assert [column for column in (*LONG_COLUMNS, '"comment"', '"feedback"') if column in sql] == []


def test_assignment_list_pages_by_cursor_without_a_count(api, monkeypatch, cohort, reviewer, manager):
    monkeypatch.setattr(AssignmentCursorPagination, "page_size", 2)
    made = [
        services.assignment_create(application=make_submitted(cohort), reviewer=reviewer, actor=manager)
        for _ in range(3)
    ]
    api.force_authenticate(reviewer)

    first = api.get(f"{API}/assignments/").data
    second = api.get(first["next"]).data

    assert "count" not in first
    assert [row["id"] for row in first["results"] + second["results"]] == [
        a.pk for a in sorted(made, key=lambda a: (a.due_at, a.pk))
    ]
    assert second["next"] is None


def test_assignment_detail_shows_the_application_and_rubric(api, cohort, assignment):
    criterion = CriterionFactory(program=cohort.program)
    api.force_authenticate(assignment.reviewer)

    response = api.get(f"{API}/assignments/{assignment.pk}/")

    assert response.status_code == 200
    assert response.data["application"]["startup_name"] == assignment.application.startup.name
    assert [c["id"] for c in response.data["criteria"]] == [criterion.pk]


def test_assignment_detail_is_404_for_another_reviewer(api, cohort, assignment):
    api.force_authenticate(make_reviewer(cohort.program))

    assert api.get(f"{API}/assignments/{assignment.pk}/").status_code == 404


def test_assignment_detail_is_404_after_a_declared_conflict(api, assignment):
    from reviews.models import ConflictOfInterest

    ConflictOfInterest.objects.create(
        reviewer=assignment.reviewer, startup=assignment.application.startup, source="declared"
    )
    api.force_authenticate(assignment.reviewer)

    assert api.get(f"{API}/assignments/{assignment.pk}/").status_code == 404


def test_blind_assignment_api_responses_hold_no_identity_of_the_startup(api, blind_assignment):
    api.force_authenticate(blind_assignment.reviewer)

    bodies = [
        api.get(f"{API}/assignments/").content.decode(),
        api.get(f"{API}/assignments/{blind_assignment.pk}/").content.decode(),
    ]

    assert [term for body in bodies for term in IDENTITY if term.lower() in body.lower()] == []
    assert "ship agents" in bodies[1]


def test_blind_assignment_api_hides_the_startup_however_its_answers_write_it(api, blind_assignment):
    disguise_answers(blind_assignment)
    api.force_authenticate(blind_assignment.reviewer)

    body = api.get(f"{API}/assignments/{blind_assignment.pk}/").content.decode()

    assert [term for term in IDENTITY if term.lower() in body.lower()] == []
    assert "We ship agents to Adams & Co." in body


# --- Reviews ------------------------------------------------------------------------


def test_review_create_saves_a_draft(api, cohort, assignment):
    criterion = CriterionFactory(program=cohort.program)
    api.force_authenticate(assignment.reviewer)

    response = api.post(
        f"{API}/assignments/{assignment.pk}/review/",
        {"scores": [{"criterion": criterion.pk, "value": 4}], "comment": "Good"},
        format="json",
    )

    assert response.status_code == 201
    assert (response.data["scores"], response.data["submitted_at"]) == ([{"criterion": criterion.pk, "value": 4}], None)


def test_review_create_twice_is_a_conflict(api, assignment):
    api.force_authenticate(assignment.reviewer)
    api.post(f"{API}/assignments/{assignment.pk}/review/", {"comment": "a"}, format="json")

    assert api.post(f"{API}/assignments/{assignment.pk}/review/", {"comment": "b"}, format="json").status_code == 409


def test_review_update_changes_the_draft(api, assignment):
    api.force_authenticate(assignment.reviewer)
    api.post(f"{API}/assignments/{assignment.pk}/review/", {"comment": "a"}, format="json")

    response = api.patch(f"{API}/assignments/{assignment.pk}/review/", {"comment": "b"}, format="json")

    assert (response.status_code, response.data["comment"]) == (200, "b")


def test_review_update_without_a_review_is_404(api, assignment):
    api.force_authenticate(assignment.reviewer)

    assert api.patch(f"{API}/assignments/{assignment.pk}/review/", {}, format="json").status_code == 404


def test_review_with_a_score_off_the_scale_is_a_400_naming_the_criterion(api, cohort, assignment):
    criterion = CriterionFactory(program=cohort.program, scale_max=5)
    api.force_authenticate(assignment.reviewer)

    response = api.post(
        f"{API}/assignments/{assignment.pk}/review/",
        {"scores": [{"criterion": criterion.pk, "value": 6}]},
        format="json",
    )

    assert (response.status_code, list(response.data)) == (400, [f"criterion_{criterion.pk}"])


def test_review_with_a_malformed_score_is_a_400_naming_it_by_its_path(api, assignment):
    api.force_authenticate(assignment.reviewer)

    response = api.post(
        f"{API}/assignments/{assignment.pk}/review/", {"scores": [{"criterion": "first", "value": 1}]}, format="json"
    )

    assert (response.status_code, response.json()) == (400, {"scores.0.criterion": ["A valid integer is required."]})


def test_review_submit_submits(api, cohort, assignment):
    criterion = CriterionFactory(program=cohort.program)
    api.force_authenticate(assignment.reviewer)

    response = api.post(
        f"{API}/assignments/{assignment.pk}/review/submit/",
        {"scores": [{"criterion": criterion.pk, "value": 3}], "recommendation": "maybe"},
        format="json",
    )

    assert response.status_code == 200
    assert response.data["weighted_score"] == "3.0000"


def test_review_submit_incomplete_is_a_400(api, cohort, assignment):
    CriterionFactory(program=cohort.program)
    api.force_authenticate(assignment.reviewer)

    response = api.post(f"{API}/assignments/{assignment.pk}/review/submit/", {}, format="json")

    assert response.status_code == 400


def test_review_of_another_reviewers_assignment_is_404(api, cohort, assignment):
    api.force_authenticate(make_reviewer(cohort.program))

    response = api.post(f"{API}/assignments/{assignment.pk}/review/", {"comment": "x"}, format="json")

    assert response.status_code == 404
    assert not Review.objects.exists()


# --- Ranking and decisions ----------------------------------------------------------


def _scored(cohort, manager, count):
    criterion = CriterionFactory(program=cohort.program)
    reviewer = make_reviewer(cohort.program)
    for value in range(count):
        assignment = services.assignment_create(application=make_submitted(cohort), reviewer=reviewer, actor=manager)
        submit_review(assignment, {criterion.pk: 1 + value})


@pytest.mark.parametrize("rows", [1, 3])
def test_ranking_query_count_does_not_grow_with_rows(api, django_assert_num_queries, cohort, manager, rows):
    _scored(cohort, manager, rows)
    api.force_authenticate(manager)

    # round, ranking, applications of the page
    with django_assert_num_queries(3):
        response = api.get(f"{API}/rounds/{cohort.pk}/ranking/")

    assert [row["position"] for row in response.data["results"]] == list(range(1, rows + 1))


def test_ranking_is_best_first(api, cohort, manager):
    _scored(cohort, manager, 3)
    api.force_authenticate(manager)

    response = api.get(f"{API}/rounds/{cohort.pk}/ranking/")

    assert [row["raw_mean"] for row in response.data["results"]] == [3.0, 2.0, 1.0]


def test_ranking_is_404_for_a_manager_of_another_program(api, cohort):
    api.force_authenticate(make_manager(CohortFactory().program))

    assert api.get(f"{API}/rounds/{cohort.pk}/ranking/").status_code == 404


def test_ranking_is_404_for_a_reviewer(api, cohort, reviewer):
    api.force_authenticate(reviewer)

    assert api.get(f"{API}/rounds/{cohort.pk}/ranking/").status_code == 404


def test_decision_accepts_and_records_the_reason(api, cohort, manager):
    application = make_in_review(cohort)
    api.force_authenticate(manager)

    response = api.post(
        f"{API}/rounds/{cohort.pk}/decisions/",
        {"application": application.pk, "decision": "accept", "reason": "Strong team"},
        format="json",
    )

    assert response.status_code == 201
    assert (response.data["kind"], response.data["actor"], response.data["reason"]) == (
        "accept",
        manager.email,
        "Strong team",
    )


def test_decision_beyond_capacity_is_a_409(api, cohort, manager):
    cohort.capacity = 0
    cohort.save()
    application = make_in_review(cohort)
    api.force_authenticate(manager)

    response = api.post(
        f"{API}/rounds/{cohort.pk}/decisions/", {"application": application.pk, "decision": "accept"}, format="json"
    )

    assert (response.status_code, list(response.data)) == (409, ["decision"])


def test_decision_on_an_application_of_another_round_is_404(api, cohort, manager):
    application = make_in_review(CohortFactory(program=cohort.program))
    api.force_authenticate(manager)

    response = api.post(
        f"{API}/rounds/{cohort.pk}/decisions/", {"application": application.pk, "decision": "reject"}, format="json"
    )

    assert response.status_code == 404


def test_decision_with_an_unknown_kind_is_a_400(api, cohort, manager):
    api.force_authenticate(manager)

    response = api.post(f"{API}/rounds/{cohort.pk}/decisions/", {"application": 1, "decision": "maybe"}, format="json")

    assert (response.status_code, list(response.data)) == (400, ["decision"])


def test_decision_is_404_for_a_manager_of_another_program(api, cohort):
    application = make_in_review(cohort)
    api.force_authenticate(make_manager(CohortFactory().program))

    response = api.post(
        f"{API}/rounds/{cohort.pk}/decisions/", {"application": application.pk, "decision": "accept"}, format="json"
    )

    assert response.status_code == 404
    assert not Decision.objects.exists()


@pytest.mark.parametrize("rows", [1, 3])
def test_decision_list_query_count_does_not_grow_with_rows(api, django_assert_num_queries, cohort, manager, rows):
    for _ in range(rows):
        services.decision_make(application=make_in_review(cohort), kind=DecisionKind.REJECT, actor=manager)
    api.force_authenticate(manager)

    # round, count, page of decisions
    with django_assert_num_queries(3):
        response = api.get(f"{API}/rounds/{cohort.pk}/decisions/")

    assert response.data["count"] == rows


def test_bulk_decision_reports_each_outcome(api, cohort, manager):
    cohort.capacity = 1
    cohort.save()
    first, second = make_in_review(cohort), make_in_review(cohort)
    api.force_authenticate(manager)

    response = api.post(
        f"{API}/rounds/{cohort.pk}/decisions/bulk/",
        {"applications": [first.pk, second.pk], "decision": "accept"},
        format="json",
    )

    assert response.status_code == 200
    assert [(row["application"], row["ok"]) for row in response.data] == [(first.pk, True), (second.pk, False)]


def test_bulk_decision_with_a_bad_id_is_a_400_naming_it_by_its_path(api, cohort, manager):
    api.force_authenticate(manager)

    response = api.post(
        f"{API}/rounds/{cohort.pk}/decisions/bulk/", {"applications": [0], "decision": "accept"}, format="json"
    )

    assert (response.status_code, response.json()) == (
        400,
        {"applications.0": ["Ensure this value is greater than or equal to 1."]},
    )


def test_bulk_decision_is_404_for_a_stranger(api, cohort):
    application = make_in_review(cohort)
    api.force_authenticate(UserFactory())

    response = api.post(
        f"{API}/rounds/{cohort.pk}/decisions/bulk/", {"applications": [application.pk], "decision": "reject"}
    )

    assert response.status_code == 404
    assert Application.objects.get().status == ApplicationStatus.IN_REVIEW


# --- Offers -------------------------------------------------------------------------


@pytest.fixture
def offer(cohort, manager):
    services.decision_make(application=make_in_review(cohort), kind=DecisionKind.ACCEPT, actor=manager)
    return Offer.objects.get()


@pytest.mark.parametrize("rows", [1, 3])
def test_offer_list_query_count_does_not_grow_with_rows(api, django_assert_num_queries, cohort, manager, rows):
    founder = UserFactory(email="founder@several.test")
    for _ in range(rows):
        application = make_in_review(CohortFactory(program=cohort.program), founder=founder)
        services.decision_make(application=application, kind=DecisionKind.ACCEPT, actor=manager)
    api.force_authenticate(founder)

    # count, page of offers
    with django_assert_num_queries(2):
        response = api.get(f"{API}/offers/")

    assert response.data["count"] == rows


def test_offer_accept_by_the_startup(api, offer):
    api.force_authenticate(founder_of(offer.application))

    response = api.post(f"{API}/offers/{offer.pk}/accept/")

    assert (response.status_code, response.data["status"]) == (200, OfferStatus.ACCEPTED)


def test_offer_accept_twice_is_a_409(api, offer):
    api.force_authenticate(founder_of(offer.application))
    api.post(f"{API}/offers/{offer.pk}/accept/")

    assert api.post(f"{API}/offers/{offer.pk}/accept/").status_code == 409


def test_offer_decline_by_the_startup(api, offer):
    api.force_authenticate(founder_of(offer.application))

    response = api.post(f"{API}/offers/{offer.pk}/decline/", {"reason": "Timing"}, format="json")

    assert (response.status_code, response.data["status"]) == (200, OfferStatus.DECLINED)


def test_offer_is_404_for_a_stranger(api, offer):
    api.force_authenticate(UserFactory())

    assert api.get(f"{API}/offers/{offer.pk}/").status_code == 404
    assert api.post(f"{API}/offers/{offer.pk}/accept/").status_code == 404


def test_offer_is_404_for_the_programs_manager(api, offer, manager):
    api.force_authenticate(manager)

    assert api.post(f"{API}/offers/{offer.pk}/accept/").status_code == 404


def test_schema_documents_the_review_endpoints(api):
    response = api.get("/api/schema/", {"format": "json"})

    paths = response.json()["paths"]
    assert paths["/api/v1/reviews/rounds/{cohort_pk}/decisions/"]["post"]["responses"].keys() == {
        "201",
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
    }


def test_review_submit_of_another_reviewers_assignment_is_404(api, cohort, assignment):
    api.force_authenticate(make_reviewer(cohort.program))

    assert api.post(f"{API}/assignments/{assignment.pk}/review/submit/", {}, format="json").status_code == 404


def test_review_read_by_the_startup_is_404(api, assignment):
    api.force_authenticate(founder_of(assignment.application))

    assert api.get(f"{API}/assignments/{assignment.pk}/review/").status_code == 404


def test_offer_list_shows_a_stranger_nothing(api, offer):
    api.force_authenticate(UserFactory())

    assert api.get(f"{API}/offers/").data["count"] == 0


def test_decision_list_is_404_for_a_reviewer(api, cohort, reviewer):
    api.force_authenticate(reviewer)

    assert api.get(f"{API}/rounds/{cohort.pk}/decisions/").status_code == 404


# --- The round's applications, for managers ------------------------------------------


@pytest.mark.parametrize("rows", [1, 3])
def test_round_applications_query_count_does_not_grow_with_rows(api, django_assert_num_queries, cohort, manager, rows):
    for _ in range(rows):
        make_submitted(cohort)
    api.force_authenticate(manager)

    # one keyset page, the manager check inside it, no count
    with django_assert_num_queries(1):
        response = api.get(f"{API}/rounds/{cohort.pk}/applications/")

    assert len(response.data["results"]) == rows


def test_round_applications_page_by_cursor_without_a_count(api, monkeypatch, cohort, manager):
    monkeypatch.setattr(RoundApplicationCursorPagination, "page_size", 2)
    made = [make_submitted(cohort) for _ in range(3)]
    api.force_authenticate(manager)

    first = api.get(f"{API}/rounds/{cohort.pk}/applications/").data
    second = api.get(first["next"]).data

    assert "count" not in first
    assert [row["id"] for row in first["results"] + second["results"]] == [
        a.pk for a in sorted(made, key=lambda a: (a.submitted_at, a.pk), reverse=True)
    ]
    assert second["next"] is None


def test_round_applications_read_only_the_columns_they_show(api, cohort, manager):
    make_submitted(cohort)
    api.force_authenticate(manager)

    with CaptureQueriesContext(connection) as queries:
        api.get(f"{API}/rounds/{cohort.pk}/applications/")

    sql = " ".join(query["sql"] for query in queries)
    assert [column for column in LONG_COLUMNS if column in sql] == []


def test_round_applications_of_an_empty_round_are_an_empty_page(api, cohort, manager):
    api.force_authenticate(manager)

    response = api.get(f"{API}/rounds/{cohort.pk}/applications/")

    assert response.status_code == 200
    assert response.data["results"] == []


def test_round_applications_leave_out_drafts_and_filter_by_status(api, cohort, manager):
    submitted = make_submitted(cohort)
    ApplicationFactory(cohort=cohort)
    api.force_authenticate(manager)

    response = api.get(f"{API}/rounds/{cohort.pk}/applications/", {"status": "submitted"})

    assert [row["id"] for row in response.data["results"]] == [submitted.pk]


def test_round_applications_refuse_an_unknown_status(api, cohort, manager):
    api.force_authenticate(manager)

    response = api.get(f"{API}/rounds/{cohort.pk}/applications/", {"status": "lost"})

    assert response.status_code == 400
    assert "status" in response.data


@pytest.mark.parametrize("who", ["reviewer", "stranger_manager"])
def test_round_applications_are_hidden_from_others(api, cohort, reviewer, who):
    other = reviewer if who == "reviewer" else make_manager(CohortFactory().program)
    api.force_authenticate(other)

    response = api.get(f"{API}/rounds/{cohort.pk}/applications/")

    assert response.status_code == 404
