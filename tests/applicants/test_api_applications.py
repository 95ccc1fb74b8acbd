import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from applicants import services
from applicants.enums import ApplicationStatus, MemberRole
from applicants.models import Application, ApplicationStatusChange, Startup
from programs.enums import QuestionKind, RuleOperator, RuleSeverity
from programs.models import Cohort, Program
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    EligibilityRuleFactory,
    QuestionFactory,
    StartupMemberFactory,
)
from tests.support.api import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    cohort = CohortFactory()
    QuestionFactory(cohort=cohort, key="pitch", kind=QuestionKind.LONG_TEXT, required=True, order=1)
    QuestionFactory(cohort=cohort, key="team_size", kind=QuestionKind.NUMBER, min_value=1, max_value=100, order=2)
    QuestionFactory(cohort=cohort, key="stage", kind=QuestionKind.CHOICE, choices=["idea", "revenue"], order=3)
    return cohort


@pytest.fixture
def member():
    return StartupMemberFactory(role=MemberRole.MEMBER)


@pytest.fixture
def stranger():
    return StartupMemberFactory()


@pytest.fixture
def application(member, cohort):
    return ApplicationFactory(startup=member.startup, cohort=cohort, answers={"pitch": "We build with Llama."})


def close_round(cohort: Cohort) -> None:
    now = timezone.now()
    Cohort.objects.filter(pk=cohort.pk).update(
        opens_at=now - datetime.timedelta(days=30), closes_at=now - datetime.timedelta(minutes=1)
    )


def url(application: Application, suffix: str = "") -> str:
    return f"/api/v1/applications/{application.pk}/{suffix}"


# --- List -----------------------------------------------------------------


def test_application_list_shows_only_my_startups_applications(member, application, stranger):
    ApplicationFactory(startup=stranger.startup)

    response = client_for(member.user).get("/api/v1/applications/")

    assert response.status_code == 200
    assert [a["id"] for a in response.json()["results"]] == [application.pk]


def test_application_list_anonymous_is_401():
    response = client_for(None).get("/api/v1/applications/")

    assert response.status_code == 401


def test_application_list_filters_by_status(member, application):
    other = ApplicationFactory(startup=member.startup)
    services.application_withdraw(application=other, user=member.user)

    response = client_for(member.user).get("/api/v1/applications/", {"status": "withdrawn"})

    assert [a["id"] for a in response.json()["results"]] == [other.pk]


def test_application_list_filters_by_round_and_startup(member, application):
    second_startup = StartupMemberFactory(user=member.user).startup
    ApplicationFactory(startup=second_startup, cohort=application.cohort)
    ApplicationFactory(startup=member.startup)

    response = client_for(member.user).get(
        "/api/v1/applications/", {"round": application.cohort_id, "startup": member.startup_id}
    )

    assert [a["id"] for a in response.json()["results"]] == [application.pk]


def test_application_list_with_unknown_status_is_400(member):
    response = client_for(member.user).get("/api/v1/applications/", {"status": "approved"})

    assert response.status_code == 400
    assert list(response.json()) == ["status"]


def test_application_list_newest_first(member):
    older, newer = ApplicationFactory(startup=member.startup), ApplicationFactory(startup=member.startup)

    response = client_for(member.user).get("/api/v1/applications/")

    assert [a["id"] for a in response.json()["results"]] == [newer.pk, older.pk]


@pytest.mark.parametrize(("rows", "queries"), [(1, 2), (3, 2)])
def test_application_list_query_count_is_constant(django_assert_num_queries, member, rows, queries):
    ApplicationFactory.create_batch(rows, startup=member.startup)
    client = client_for(member.user)

    with django_assert_num_queries(queries):
        response = client.get("/api/v1/applications/")

    assert response.json()["count"] == rows


# --- Create ---------------------------------------------------------------


def test_application_create_starts_a_draft(member, cohort):
    response = client_for(member.user).post(
        "/api/v1/applications/", {"startup": member.startup_id, "round": cohort.pk}, format="json"
    )

    assert response.status_code == 201
    assert (response.json()["status"], response.json()["answers"]) == ("draft", {})
    assert Application.objects.get(pk=response.json()["id"]).created_by == member.user


def test_application_create_second_for_same_round_is_409(member, application):
    response = client_for(member.user).post(
        "/api/v1/applications/", {"startup": member.startup_id, "round": application.cohort_id}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {"cohort": ["This startup has already applied to this round."]}
    assert Application.objects.count() == 1


def test_application_create_for_closed_round_is_400(member, cohort):
    close_round(cohort)

    response = client_for(member.user).post(
        "/api/v1/applications/", {"startup": member.startup_id, "round": cohort.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"cohort": ["This round is not open for applications."]}
    assert not Application.objects.exists()


def test_application_create_for_another_startup_is_400(member, stranger, cohort):
    response = client_for(member.user).post(
        "/api/v1/applications/", {"startup": stranger.startup_id, "round": cohort.pk}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["startup"]
    assert not Application.objects.exists()


def test_application_create_for_unknown_round_is_400(member):
    response = client_for(member.user).post(
        "/api/v1/applications/", {"startup": member.startup_id, "round": 999999}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["round"]


def test_application_create_anonymous_is_401(member, cohort):
    response = client_for(None).post(
        "/api/v1/applications/", {"startup": member.startup_id, "round": cohort.pk}, format="json"
    )

    assert response.status_code == 401


# --- Retrieve -------------------------------------------------------------


def test_application_retrieve_by_member(member, application):
    response = client_for(member.user).get(url(application))

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["answers"], body["eligibility"], body["attachments"]) == (
        "draft",
        {"pitch": "We build with Llama."},
        None,
        [],
    )
    assert body["round"]["program"]["slug"] == application.cohort.program.slug


def test_application_retrieve_by_stranger_is_404(application, stranger):
    response = client_for(stranger.user).get(url(application))

    assert response.status_code == 404


def test_application_retrieve_anonymous_is_401(application):
    response = client_for(None).get(url(application))

    assert response.status_code == 401


# --- Answers --------------------------------------------------------------


def test_application_answers_are_merged_into_the_draft(member, application):
    response = client_for(member.user).patch(
        url(application), {"answers": {"team_size": "12", "stage": "revenue"}}, format="json"
    )

    assert response.status_code == 200
    application.refresh_from_db()
    assert application.answers == {"pitch": "We build with Llama.", "team_size": 12, "stage": "revenue"}


def test_application_answer_null_clears_it(member, application):
    client_for(member.user).patch(url(application), {"answers": {"pitch": None}}, format="json")

    application.refresh_from_db()
    assert application.answers == {}


def test_application_invalid_answers_are_400_naming_each_question(member, application):
    response = client_for(member.user).patch(
        url(application),
        {"answers": {"pitch": "Changed.", "team_size": 1000, "stage": "ipo", "nope": "x"}},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "team_size": ["Enter at most 100."],
        "stage": ["Choose one of: idea, revenue."],
        "nope": ["This round's form has no such question."],
    }


def test_application_invalid_answers_leave_saved_answers_unchanged(member, application):
    client_for(member.user).patch(
        url(application), {"answers": {"pitch": "Changed.", "team_size": "many"}}, format="json"
    )

    assert Application.objects.get(pk=application.pk).answers == {"pitch": "We build with Llama."}


def test_application_answers_left_out_change_nothing(member, application):
    response = client_for(member.user).patch(url(application), {}, format="json")

    assert response.status_code == 200
    assert Application.objects.get(pk=application.pk).answers == {"pitch": "We build with Llama."}


def test_application_answers_must_be_an_object(member, application):
    response = client_for(member.user).patch(url(application), {"answers": ["pitch"]}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["answers"]


def test_application_answers_by_stranger_is_404(application, stranger):
    response = client_for(stranger.user).patch(url(application), {"answers": {"pitch": "Mine."}}, format="json")

    assert response.status_code == 404
    assert Application.objects.get(pk=application.pk).answers == {"pitch": "We build with Llama."}


def test_application_answers_after_submission_is_409(member, application):
    services.application_submit(application=application, user=member.user)

    response = client_for(member.user).patch(url(application), {"answers": {"pitch": "Later."}}, format="json")

    assert response.status_code == 409
    assert Application.objects.get(pk=application.pk).answers == {"pitch": "We build with Llama."}


# --- Submit ---------------------------------------------------------------


def test_application_submit_by_member(member, application):
    response = client_for(member.user).post(url(application, "submit/"))

    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response.json()["eligibility"] == {"eligible": True, "flagged": False, "outcomes": []}
    assert list(ApplicationStatusChange.objects.values_list("from_status", "to_status", "actor")) == [
        ("draft", "submitted", member.user.pk)
    ]


def test_application_submit_by_stranger_is_404(application, stranger):
    response = client_for(stranger.user).post(url(application, "submit/"))

    assert response.status_code == 404
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


def test_application_submit_anonymous_is_401(application):
    response = client_for(None).post(url(application, "submit/"))

    assert response.status_code == 401


def test_application_submit_incomplete_names_the_required_question(member, cohort):
    application = ApplicationFactory(startup=member.startup, cohort=cohort)

    response = client_for(member.user).post(url(application, "submit/"))

    assert response.status_code == 400
    assert response.json() == {"pitch": ["This question is required."]}
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


def test_application_submit_after_deadline_is_400_and_stays_a_draft(member, application):
    close_round(application.cohort)

    response = client_for(member.user).post(url(application, "submit/"))

    assert response.status_code == 400
    assert response.json() == {
        "cohort": ["The deadline for this round has passed; your draft is kept but can no longer be submitted."]
    }
    application.refresh_from_db()
    assert (application.status, application.answers) == (ApplicationStatus.DRAFT, {"pitch": "We build with Llama."})
    assert not ApplicationStatusChange.objects.exists()


def test_application_submit_twice_is_409(member, application):
    client = client_for(member.user)
    client.post(url(application, "submit/"))

    response = client.post(url(application, "submit/"))

    assert response.status_code == 409
    assert ApplicationStatusChange.objects.count() == 1


def test_application_submit_failing_a_hard_rule_is_ineligible_with_the_reason(member, application):
    EligibilityRuleFactory(
        program=application.cohort.program,
        field="startup.developer_count",
        operator=RuleOperator.GREATER_OR_EQUAL,
        value=10,
        failure_message="You need at least ten developers.",
        severity=RuleSeverity.HARD,
    )

    response = client_for(member.user).post(url(application, "submit/"))

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["eligibility"]["eligible"]) == ("ineligible", False)
    assert [o["message"] for o in body["eligibility"]["outcomes"]] == ["You need at least ten developers."]


# --- Withdraw -------------------------------------------------------------


def test_application_withdraw_with_a_reason(member, application):
    response = client_for(member.user).post(url(application, "withdraw/"), {"reason": "Wrong round."}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert ApplicationStatusChange.objects.get().reason == "Wrong round."


def test_application_withdraw_without_a_reason(member, application):
    response = client_for(member.user).post(url(application, "withdraw/"))

    assert response.status_code == 200
    assert ApplicationStatusChange.objects.get().reason == ""


def test_application_withdraw_by_stranger_is_404(application, stranger):
    response = client_for(stranger.user).post(url(application, "withdraw/"))

    assert response.status_code == 404
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


def test_application_withdraw_twice_is_409(member, application):
    client = client_for(member.user)
    client.post(url(application, "withdraw/"))

    response = client.post(url(application, "withdraw/"))

    assert response.status_code == 409
    assert response.json() == {"status": ["An application that is withdrawn cannot become withdrawn."]}


# --- Eligibility preview --------------------------------------------------


def test_application_eligibility_preview_reports_each_rule(member, application):
    program = application.cohort.program
    EligibilityRuleFactory(program=program, field="startup.incorporation_country", value="US", order=1)
    EligibilityRuleFactory(
        program=program,
        field="answer.builds_with_llama",
        operator=RuleOperator.IS_TRUE,
        value=None,
        failure_message="Build with Llama.",
        severity=RuleSeverity.SOFT,
        order=2,
    )

    response = client_for(member.user).get(url(application, "eligibility/"))

    assert response.status_code == 200
    body = response.json()
    assert (body["eligible"], body["flagged"]) == (True, True)
    assert [(o["field"], o["passed"], o["message"], o["missing"]) for o in body["outcomes"]] == [
        ("startup.incorporation_country", True, "", False),
        ("answer.builds_with_llama", False, "Build with Llama.", True),
    ]
    assert Application.objects.get(pk=application.pk).eligibility == {}


def test_application_eligibility_preview_names_the_answers_that_name_the_startup_in_blind_review(member, application):
    Startup.objects.filter(pk=member.startup_id).update(name="Zorblax Asfxg Labs")
    User.objects.filter(pk=member.user_id).update(full_name="Ada Quimby")
    Program.objects.filter(pk=application.cohort.program_id).update(blind_review=True)
    Application.objects.filter(pk=application.pk).update(
        answers={"pitch": "Quimby and zorblax-asfxg-labs, from Adams."}
    )

    response = client_for(member.user).get(url(application, "eligibility/"))

    assert response.json()["names_itself"] == [{"question_key": "pitch", "terms": ["Quimby", "zorblax-asfxg-labs"]}]


def test_application_eligibility_preview_by_stranger_is_404(application, stranger):
    response = client_for(stranger.user).get(url(application, "eligibility/"))

    assert response.status_code == 404


# --- History --------------------------------------------------------------


def test_application_history_lists_changes_oldest_first(member, application):
    services.application_submit(application=application, user=member.user)
    services.application_withdraw(application=application, user=member.user, reason="Changed plans.")

    response = client_for(member.user).get(url(application, "history/"))

    assert response.status_code == 200
    assert [(c["from_status"], c["to_status"], c["reason"]) for c in response.json()["results"]] == [
        ("draft", "submitted", ""),
        ("submitted", "withdrawn", "Changed plans."),
    ]
    assert response.json()["results"][0]["actor_name"] == member.user.full_name


def test_application_history_by_stranger_is_404(application, stranger):
    response = client_for(stranger.user).get(url(application, "history/"))

    assert response.status_code == 404


def test_application_history_anonymous_is_401(application):
    response = client_for(None).get(url(application, "history/"))

    assert response.status_code == 401


@pytest.mark.parametrize(("rows", "queries"), [(1, 3), (3, 3)])
def test_application_history_query_count_is_constant(django_assert_num_queries, member, application, rows, queries):
    # draft → submitted → in review → accepted, cut to the wanted length
    for to_status in [ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW, ApplicationStatus.ACCEPTED][:rows]:
        services.application_transition(application=application, to_status=to_status, actor=member.user)
    client = client_for(member.user)

    with django_assert_num_queries(queries):
        response = client.get(url(application, "history/"))

    assert response.json()["count"] == rows
