import pytest
from django.urls import reverse

from applicants.enums import ApplicationStatus
from applicants.models import Application
from reviews import services
from reviews.enums import DecisionKind, OfferStatus
from reviews.models import Assignment, ConflictOfInterest, Decision, Offer, Review
from tests.factories import (
    CohortFactory,
    CriterionFactory,
    StartupMemberFactory,
    UserFactory,
)
from tests.reviews.conftest import (
    IDENTITY,
    disguise_answers,
    founder_of,
    make_manager,
    make_reviewer,
    make_submitted,
    submit_review,
)
from tests.support.broker import broker_unreachable

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(cohort):
    return make_manager(cohort.program)


@pytest.fixture
def reviewer(cohort):
    return make_reviewer(cohort.program)


def assign(cohort, reviewer, manager, **kwargs):
    return services.assignment_create(application=make_submitted(cohort, **kwargs), reviewer=reviewer, actor=manager)


@pytest.fixture
def assignment(cohort, reviewer, manager):
    return assign(cohort, reviewer, manager)


# --- Reviewer queue -----------------------------------------------------------------


def test_queue_lists_the_reviewers_assignments_only(client, cohort, reviewer, manager, assignment):
    assign(cohort, make_reviewer(cohort.program), manager)
    client.force_login(reviewer)

    response = client.get(reverse("reviews:queue"))

    assert [a.pk for a in response.context["assignments"]] == [assignment.pk]


@pytest.mark.parametrize("rows", [1, 3])
def test_queue_query_count_does_not_grow_with_rows(client, django_assert_num_queries, cohort, reviewer, manager, rows):
    CriterionFactory(program=cohort.program)
    for _ in range(rows):
        assign(cohort, reviewer, manager)
    client.force_login(reviewer)

    # session, user, assignments with progress
    with django_assert_num_queries(3):
        response = client.get(reverse("reviews:queue"))

    assert len(response.context["assignments"]) == rows


def test_queue_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get(reverse("reviews:queue"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- Review form --------------------------------------------------------------------


def test_review_page_shows_the_assigned_reviewer_the_application(client, reviewer, assignment):
    client.force_login(reviewer)

    response = client.get(assignment.get_absolute_url())

    assert response.status_code == 200
    assert assignment.application.startup.name in response.content.decode()


def test_review_page_is_404_for_a_reviewer_not_assigned(client, cohort, assignment):
    client.force_login(make_reviewer(cohort.program))

    assert client.get(assignment.get_absolute_url()).status_code == 404


def test_review_page_is_404_for_a_declared_conflict(client, reviewer, assignment):
    ConflictOfInterest.objects.create(reviewer=reviewer, startup=assignment.application.startup, source="declared")
    client.force_login(reviewer)

    assert client.get(assignment.get_absolute_url()).status_code == 404


def test_review_page_is_404_for_a_conflict_found_after_assignment(client, reviewer, assignment):
    StartupMemberFactory(startup=assignment.application.startup, user=UserFactory(email=f"x@{reviewer.email_domain}"))
    client.force_login(reviewer)

    assert client.get(assignment.get_absolute_url()).status_code == 404


def test_review_page_is_404_for_the_startups_founder(client, assignment):
    client.force_login(founder_of(assignment.application))

    assert client.get(assignment.get_absolute_url()).status_code == 404


def test_review_page_saves_a_draft(client, cohort, reviewer, assignment):
    criterion = CriterionFactory(program=cohort.program)
    client.force_login(reviewer)

    response = client.post(
        assignment.get_absolute_url(), {f"criterion_{criterion.pk}": "4", "comment": "Promising", "action": "save"}
    )

    assert response.status_code == 302
    review = Review.objects.get(assignment=assignment)
    assert (review.comment, review.submitted_at, review.scores.get().value) == ("Promising", None, 4)


def test_review_page_submits_a_complete_review(client, cohort, reviewer, assignment):
    criterion = CriterionFactory(program=cohort.program)
    client.force_login(reviewer)

    response = client.post(
        assignment.get_absolute_url(),
        {f"criterion_{criterion.pk}": "5", "recommendation": "yes", "action": "submit"},
    )

    assert response["Location"] == reverse("reviews:queue")
    assert Review.objects.get(assignment=assignment).submitted_at is not None


def test_review_page_names_the_missing_score_on_submit(client, cohort, reviewer, assignment):
    criterion = CriterionFactory(program=cohort.program)
    client.force_login(reviewer)

    response = client.post(assignment.get_absolute_url(), {"recommendation": "yes", "action": "submit"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"criterion_{criterion.pk}"]


def test_review_page_refuses_a_score_off_the_scale(client, cohort, reviewer, assignment):
    criterion = CriterionFactory(program=cohort.program, scale_max=5)
    client.force_login(reviewer)

    response = client.post(assignment.get_absolute_url(), {f"criterion_{criterion.pk}": "9", "action": "save"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"criterion_{criterion.pk}"]
    assert not Review.objects.exists()


def test_declaring_a_conflict_removes_the_assignment(client, reviewer, assignment):
    client.force_login(reviewer)

    response = client.post(reverse("reviews:assignment-conflict", args=[assignment.pk]), {"reason": "Former employer"})

    assert response.status_code == 302
    assert not Assignment.objects.exists()
    assert ConflictOfInterest.objects.get().reason == "Former employer"


def test_declaring_a_conflict_on_someone_elses_assignment_is_404(client, cohort, assignment):
    client.force_login(make_reviewer(cohort.program))

    response = client.post(reverse("reviews:assignment-conflict", args=[assignment.pk]))

    assert response.status_code == 404
    assert Assignment.objects.count() == 1


# --- Blind review -------------------------------------------------------------------


def test_blind_review_page_shows_no_identity_of_the_startup(client, blind_assignment):
    client.force_login(blind_assignment.reviewer)

    body = client.get(blind_assignment.get_absolute_url()).content.decode()

    assert [term for term in IDENTITY if term.lower() in body.lower()] == []
    assert "ship agents" in body


def test_blind_review_page_hides_the_startup_however_its_answers_write_it(client, blind_assignment):
    disguise_answers(blind_assignment)
    client.force_login(blind_assignment.reviewer)

    body = client.get(blind_assignment.get_absolute_url()).content.decode()

    assert [term for term in IDENTITY if term.lower() in body.lower()] == []
    assert "We ship agents to Adams &amp; Co." in body


def test_blind_queue_shows_no_identity_of_the_startup(client, blind_assignment):
    client.force_login(blind_assignment.reviewer)

    body = client.get(reverse("reviews:queue")).content.decode()

    assert [term for term in IDENTITY if term.lower() in body.lower()] == []


def test_attachment_is_served_to_its_reviewer_under_a_neutral_name(client, blind_assignment):
    client.force_login(blind_assignment.reviewer)

    response = client.get(reverse("reviews:attachment-download", args=[blind_assignment.pk, "pitch_deck"]))

    assert response.status_code == 200
    application_id = blind_assignment.application_id
    assert response["Content-Disposition"] == f'attachment; filename="application-{application_id}-pitch_deck.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_attachment_is_404_for_another_reviewer(client, cohort, blind_assignment):
    client.force_login(make_reviewer(cohort.program))

    response = client.get(reverse("reviews:attachment-download", args=[blind_assignment.pk, "pitch_deck"]))

    assert response.status_code == 404


# --- Manager pages ------------------------------------------------------------------

MANAGER_PAGES = ["reviews:round-overview", "reviews:round-assignments", "reviews:round-ranking"]


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_manager_page_opens_for_the_programs_manager(client, cohort, manager, assignment, name):
    client.force_login(manager)

    assert client.get(reverse(name, args=[cohort.pk])).status_code == 200


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_manager_page_is_404_for_a_manager_of_another_program(client, cohort, name):
    client.force_login(make_manager(CohortFactory().program))

    assert client.get(reverse(name, args=[cohort.pk])).status_code == 404


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_manager_page_is_404_for_a_reviewer(client, cohort, reviewer, name):
    client.force_login(reviewer)

    assert client.get(reverse(name, args=[cohort.pk])).status_code == 404


def test_round_list_shows_only_the_rounds_a_manager_manages(client, cohort, manager):
    CohortFactory()
    client.force_login(manager)

    response = client.get(reverse("reviews:round-list"))

    assert [c.pk for c in response.context["cohorts"]] == [cohort.pk]


def test_round_overview_counts_the_funnel(client, cohort, manager, assignment):
    make_submitted(cohort)
    client.force_login(manager)

    funnel = client.get(reverse("reviews:round-overview", args=[cohort.pk])).context["funnel"]

    assert (funnel.by_status, funnel.assignments) == ({"submitted": 1, "in_review": 1}, 1)


def test_assignment_page_previews_without_writing(client, cohort, manager, reviewer):
    make_submitted(cohort)
    client.force_login(manager)

    response = client.get(reverse("reviews:round-assignments", args=[cohort.pk]), {"preview": "1"})

    assert len(response.context["plan"].new) == 1
    assert not Assignment.objects.exists()


def test_assignment_page_runs_the_assignment(client, django_capture_on_commit_callbacks, cohort, manager, reviewer):
    application = make_submitted(cohort)
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:round-assignments", args=[cohort.pk]))

    assert response.status_code == 302
    assert list(Assignment.objects.values_list("application", "reviewer")) == [(application.pk, reviewer.pk)]


def test_assignment_page_run_is_404_for_a_manager_of_another_program(client, cohort, reviewer):
    make_submitted(cohort)
    client.force_login(make_manager(CohortFactory().program))

    response = client.post(reverse("reviews:round-assignments", args=[cohort.pk]))

    assert response.status_code == 404
    assert not Assignment.objects.exists()


def test_manager_assigns_by_hand(client, cohort, manager, reviewer):
    application = make_submitted(cohort)
    client.force_login(manager)

    client.post(
        reverse("reviews:assignment-add", args=[cohort.pk]), {"application": application.pk, "reviewer": reviewer.pk}
    )

    assert Assignment.objects.get().reviewer == reviewer


def test_manager_unassigns_by_hand(client, cohort, manager, assignment):
    client.force_login(manager)

    client.post(reverse("reviews:assignment-remove", args=[cohort.pk, assignment.pk]))

    assert not Assignment.objects.exists()


def test_manager_of_another_program_cannot_unassign(client, cohort, assignment):
    client.force_login(make_manager(CohortFactory().program))

    response = client.post(reverse("reviews:assignment-remove", args=[cohort.pk, assignment.pk]))

    assert response.status_code == 404
    assert Assignment.objects.exists()


def _scored_round(cohort, manager, *, applications: int, reviewers: int):
    criterion = CriterionFactory(program=cohort.program)
    team = [make_reviewer(cohort.program) for _ in range(reviewers)]
    for _ in range(applications):
        application = make_submitted(cohort)
        for member in team:
            assignment = services.assignment_create(application=application, reviewer=member, actor=manager)
            submit_review(assignment, {criterion.pk: 3 + member.pk % 2})


@pytest.mark.parametrize(("applications", "reviewers"), [(1, 1), (3, 1), (3, 4)])
def test_ranking_board_query_count_does_not_grow_with_reviews_or_reviewers(
    client, django_assert_num_queries, cohort, manager, applications, reviewers
):
    _scored_round(cohort, manager, applications=applications, reviewers=reviewers)
    client.force_login(manager)

    # session, user, round, ranking, applications, toughness
    with django_assert_num_queries(6):
        response = client.get(reverse("reviews:round-ranking", args=[cohort.pk]))

    assert len(response.context["rows"]) == applications
    assert len(response.context["toughness"]) == reviewers


def test_ranking_board_accepts_one_application(client, cohort, manager):
    _scored_round(cohort, manager, applications=2, reviewers=1)
    first = Application.objects.filter(cohort=cohort).first()
    client.force_login(manager)

    client.post(reverse("reviews:round-ranking", args=[cohort.pk]), {"single": f"{first.pk}:accept", "reason": "Best"})

    decision = Decision.objects.get()
    assert (decision.application, decision.kind, decision.actor, decision.reason) == (first, "accept", manager, "Best")
    assert Offer.objects.get().application == first


def test_ranking_board_rejects_in_bulk(client, cohort, manager):
    _scored_round(cohort, manager, applications=3, reviewers=1)
    ids = list(Application.objects.filter(cohort=cohort).values_list("pk", flat=True))
    client.force_login(manager)

    client.post(reverse("reviews:round-ranking", args=[cohort.pk]), {"applications": ids, "kind": "reject"})

    assert set(Application.objects.values_list("status", flat=True)) == {ApplicationStatus.REJECTED}


def test_ranking_board_decision_is_404_for_a_manager_of_another_program(client, cohort, manager):
    _scored_round(cohort, manager, applications=1, reviewers=1)
    application = Application.objects.get()
    client.force_login(make_manager(CohortFactory().program))

    response = client.post(reverse("reviews:round-ranking", args=[cohort.pk]), {"single": f"{application.pk}:accept"})

    assert response.status_code == 404
    assert not Decision.objects.exists()


# --- Startup offer ------------------------------------------------------------------


@pytest.fixture
def offer(cohort, manager):
    from tests.reviews.conftest import make_in_review

    application = make_in_review(cohort)
    services.decision_make(application=application, kind=DecisionKind.ACCEPT, actor=manager)
    return Offer.objects.get()


def test_offer_page_shows_the_startup_its_offer(client, offer):
    client.force_login(founder_of(offer.application))

    response = client.get(offer.get_absolute_url())

    assert response.status_code == 200
    assert "Accept the offer" in response.content.decode()


def test_offer_page_is_404_for_a_stranger(client, offer):
    client.force_login(UserFactory())

    assert client.get(offer.get_absolute_url()).status_code == 404


def test_startup_accepts_its_offer(client, offer):
    client.force_login(founder_of(offer.application))

    client.post(offer.get_absolute_url(), {"action": "accept"})

    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED


def test_startup_declines_its_offer(client, offer):
    client.force_login(founder_of(offer.application))

    client.post(offer.get_absolute_url(), {"action": "decline", "reason": "Timing"})

    offer.refresh_from_db()
    assert (offer.status, offer.response_reason) == (OfferStatus.DECLINED, "Timing")


def test_stranger_cannot_accept_an_offer(client, offer):
    client.force_login(UserFactory())

    response = client.post(offer.get_absolute_url(), {"action": "accept"})

    offer.refresh_from_db()
    assert (response.status_code, offer.status) == (404, OfferStatus.OFFERED)


@pytest.mark.parametrize("rows", [1, 3])
def test_offer_list_query_count_does_not_grow_with_rows(client, django_assert_num_queries, cohort, manager, rows):
    from tests.reviews.conftest import make_in_review

    founder = UserFactory(email="founder@many.test")
    for _ in range(rows):
        application = make_in_review(CohortFactory(program=cohort.program), founder=founder)
        services.decision_make(application=application, kind=DecisionKind.ACCEPT, actor=manager)
    client.force_login(founder)

    with django_assert_num_queries(3):
        response = client.get(reverse("reviews:offer-list"))

    assert len(response.context["offers"]) == rows


def test_offer_panel_renders_the_applications_offer(offer):
    from django.template import Context, Template

    html = Template("{% load reviews_offers %}{% offer_panel application %}").render(
        Context({"application": offer.application})
    )

    assert offer.get_absolute_url() in html


def test_ranking_board_bulk_without_a_decision_decides_nothing(client, cohort, manager):
    _scored_round(cohort, manager, applications=1, reviewers=1)
    application = Application.objects.get()
    client.force_login(manager)

    response = client.post(reverse("reviews:round-ranking", args=[cohort.pk]), {"applications": [application.pk]})

    assert (response.status_code, list(response.context["form"].errors)) == (200, ["kind"])
    assert not Decision.objects.exists()


def test_manager_of_another_program_cannot_assign(client, cohort, reviewer):
    application = make_submitted(cohort)
    client.force_login(make_manager(CohortFactory().program))

    response = client.post(
        reverse("reviews:assignment-add", args=[cohort.pk]), {"application": application.pk, "reviewer": reviewer.pk}
    )

    assert response.status_code == 404
    assert not Assignment.objects.exists()


def test_offer_list_shows_a_stranger_nothing(client, offer):
    client.force_login(UserFactory())

    response = client.get(reverse("reviews:offer-list"))

    assert list(response.context["offers"]) == []


@pytest.mark.redis
def test_assignment_page_with_the_broker_down_says_so_and_assigns_nothing(
    client, celery_not_eager, cohort, manager, reviewer
):
    make_submitted(cohort)
    client.force_login(manager)

    with broker_unreachable():
        response = client.post(reverse("reviews:round-assignments", args=[cohort.pk]), follow=True)

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "The assignment could not be started: the task queue is not answering. Try again in a minute."
    ]
    assert not Assignment.objects.exists()
