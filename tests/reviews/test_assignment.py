from collections import Counter

import pytest

from applicants.enums import ApplicationStatus
from common.errors import ConflictError
from reviews import services
from reviews.assignment import Candidate, plan_assignments
from reviews.enums import ConflictSource
from reviews.models import Assignment, ConflictOfInterest, Review
from tests.factories import ConflictOfInterestFactory, CriterionFactory, StartupMemberFactory, UserFactory
from tests.reviews.conftest import make_manager, make_reviewer, make_submitted, submit_review

# --- The pure plan ----------------------------------------------------------------


def test_plan_gives_each_application_n_distinct_reviewers():
    applications = [Candidate(application_id, application_id) for application_id in range(1, 11)]

    plan = plan_assignments(
        applications=applications, reviewer_ids=range(1, 6), per_application=3, existing=[], conflicts=set()
    )

    per_application = Counter(application_id for application_id, _ in plan.new)
    assert set(per_application.values()) == {3}
    assert len(set(plan.new)) == 30


def test_plan_skips_conflicted_reviewers():
    applications = [Candidate(1, 100), Candidate(2, 200)]

    plan = plan_assignments(
        applications=applications, reviewer_ids=[1, 2, 3], per_application=2, existing=[], conflicts={(1, 100)}
    )

    assert sorted(reviewer for application, reviewer in plan.new if application == 1) == [2, 3]


def test_plan_reports_a_shortfall_when_conflicts_leave_too_few_reviewers():
    plan = plan_assignments(
        applications=[Candidate(1, 100)],
        reviewer_ids=[1, 2],
        per_application=2,
        existing=[],
        conflicts={(1, 100)},
    )

    assert plan.shortfalls == {1: 1}


def test_plan_keeps_existing_assignments_and_adds_only_what_is_missing():
    plan = plan_assignments(
        applications=[Candidate(1, 100)], reviewer_ids=[1, 2, 3], per_application=2, existing=[(1, 3)], conflicts=set()
    )

    assert plan.new == [(1, 1)]


def test_plan_rebalances_when_a_conflict_pushes_loads_apart():
    # Reviewer 1 cannot review startups 1 and 2; without the repair pass the
    # greedy order would overload reviewers 2 and 3.
    applications = [Candidate(application_id, application_id) for application_id in range(1, 7)]

    plan = plan_assignments(
        applications=applications,
        reviewer_ids=[1, 2, 3],
        per_application=1,
        existing=[],
        conflicts={(1, 1), (1, 2)},
    )

    assert sorted(plan.loads_after.values()) == [2, 2, 2]


def test_plan_scales_to_ten_thousand_applications_with_balanced_loads():
    applications = [Candidate(application_id, application_id) for application_id in range(10_000)]
    conflicts = {(application_id % 300, application_id) for application_id in range(0, 10_000, 7)}

    plan = plan_assignments(
        applications=applications, reviewer_ids=range(300), per_application=3, existing=[], conflicts=conflicts
    )

    assert len(plan.new) == 30_000
    assert plan.spread <= 1
    assert not any((reviewer, application) in conflicts for application, reviewer in plan.new)


# --- The service on the database --------------------------------------------------


def _conflicted_round(cohort, *, applications: int, reviewers: int):
    """A round where some reviewers share a domain with a startup member, some
    are members, and some declared a conflict."""
    team = [make_reviewer(cohort.program) for _ in range(reviewers)]
    apps = [make_submitted(cohort) for _ in range(applications)]
    for index, application in enumerate(apps[:30]):
        reviewer = team[index % reviewers]
        if index % 3 == 0:
            domain = reviewer.email.split("@")[1]
            colleague = UserFactory(email=f"colleague{index}@{domain}")
            StartupMemberFactory(startup=application.startup, user=colleague)
        elif index % 3 == 1:
            StartupMemberFactory(startup=application.startup, user=reviewer)
        else:
            ConflictOfInterestFactory(reviewer=reviewer, startup=application.startup)
    return team, apps


def _conflicted_pairs(cohort) -> set[tuple[int, int]]:
    from reviews.conflicts import conflict_pairs

    reviewers = [membership.user for membership in cohort.program.memberships.select_related("user")]
    startups = list(cohort.applications.values_list("startup_id", flat=True))
    return set(conflict_pairs(reviewers=reviewers, startup_ids=startups))


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.slow
def test_assignment_run_over_300_applications_and_20_reviewers(cohort):
    _conflicted_round(cohort, applications=300, reviewers=20)
    conflicted = _conflicted_pairs(cohort)
    assert len(conflicted) == 30

    services.assignment_run(cohort=cohort, actor=None)

    rows = list(Assignment.objects.filter(application__cohort=cohort).values_list("application_id", "reviewer_id"))
    startup_of = dict(cohort.applications.values_list("id", "startup_id"))
    per_application = Counter(application_id for application_id, _ in rows)
    loads = Counter(reviewer_id for _, reviewer_id in rows)
    assert len(rows) == len(set(rows)) == 900
    assert set(per_application.values()) == {3}
    assert not any((reviewer_id, startup_of[application_id]) in conflicted for application_id, reviewer_id in rows)
    assert max(loads.values()) - min(loads.values()) <= 1
    assert len(loads) == 20


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.slow
def test_assignment_run_twice_changes_nothing(cohort):
    _conflicted_round(cohort, applications=300, reviewers=20)
    services.assignment_run(cohort=cohort, actor=None)
    before = set(Assignment.objects.values_list("pk", "application_id", "reviewer_id", "due_at"))

    plan = services.assignment_run(cohort=cohort, actor=None)

    assert plan.new == []
    assert set(Assignment.objects.values_list("pk", "application_id", "reviewer_id", "due_at")) == before


@pytest.mark.django_db
def test_assignment_preview_writes_nothing(cohort):
    [make_reviewer(cohort.program) for _ in range(3)]
    application = make_submitted(cohort)

    plan = services.assignment_preview(cohort=cohort)

    assert len(plan.new) == 3
    assert Assignment.objects.count() == 0
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


@pytest.mark.django_db
def test_assignment_run_moves_submitted_applications_into_review_with_history(cohort):
    manager = make_manager(cohort.program)
    [make_reviewer(cohort.program) for _ in range(3)]
    application = make_submitted(cohort)

    services.assignment_run(cohort=cohort, actor=manager)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    change = application.status_changes.last()
    assert (change.from_status, change.to_status, change.actor) == ("submitted", "in_review", manager)


@pytest.mark.django_db
def test_assignment_run_records_detected_conflicts(cohort):
    reviewer = make_reviewer(cohort.program)
    application = make_submitted(cohort)
    StartupMemberFactory(startup=application.startup, user=UserFactory(email=f"cto@{reviewer.email_domain}"))

    services.assignment_run(cohort=cohort, actor=None)

    conflict = ConflictOfInterest.objects.get()
    assert (conflict.reviewer, conflict.startup, conflict.source) == (
        reviewer,
        application.startup,
        ConflictSource.EMAIL_DOMAIN,
    )
    assert Assignment.objects.count() == 0


@pytest.mark.django_db
def test_assignment_run_ignores_webmail_domains(cohort):
    reviewer = make_reviewer(cohort.program, email="someone@gmail.com")
    application = make_submitted(cohort, founder=UserFactory(email="founder@gmail.com"))

    services.assignment_run(cohort=cohort, actor=None)

    assert list(Assignment.objects.values_list("application", "reviewer")) == [(application.pk, reviewer.pk)]


@pytest.mark.django_db
def test_assignment_run_leaves_drafts_and_ineligible_applications_alone(cohort):
    from tests.factories import ApplicationFactory

    make_reviewer(cohort.program)
    ApplicationFactory(cohort=cohort)

    plan = services.assignment_run(cohort=cohort, actor=None)

    assert plan.new == []


@pytest.mark.django_db
def test_assignment_create_by_hand_assigns_and_starts_review(cohort):
    manager = make_manager(cohort.program)
    reviewer = make_reviewer(cohort.program)
    application = make_submitted(cohort)

    assignment = services.assignment_create(application=application, reviewer=reviewer, actor=manager)

    application.refresh_from_db()
    assert (assignment.reviewer, assignment.source, application.status) == (reviewer, "manual", "in_review")


@pytest.mark.django_db
def test_assignment_create_refuses_a_conflicted_reviewer(cohort):
    manager = make_manager(cohort.program)
    reviewer = make_reviewer(cohort.program)
    application = make_submitted(cohort)
    StartupMemberFactory(startup=application.startup, user=reviewer)

    with pytest.raises(ConflictError) as error:
        services.assignment_create(application=application, reviewer=reviewer, actor=manager)

    assert list(error.value.as_dict()) == ["reviewer"]


@pytest.mark.django_db
def test_assignment_create_refuses_someone_who_is_not_a_reviewer(cohort):
    from common.errors import DomainError

    manager = make_manager(cohort.program)
    application = make_submitted(cohort)

    with pytest.raises(DomainError):
        services.assignment_create(application=application, reviewer=UserFactory(), actor=manager)


@pytest.mark.django_db
def test_assignment_delete_removes_an_unsubmitted_assignment(cohort):
    manager = make_manager(cohort.program)
    reviewer = make_reviewer(cohort.program)
    assignment = services.assignment_create(application=make_submitted(cohort), reviewer=reviewer, actor=manager)

    services.assignment_delete(assignment=assignment, actor=manager)

    assert Assignment.objects.count() == 0


@pytest.mark.django_db
def test_conflict_declare_removes_the_assignment(cohort):
    reviewer = make_reviewer(cohort.program)
    application = make_submitted(cohort)
    assignment = services.assignment_create(
        application=application, reviewer=reviewer, actor=make_manager(cohort.program)
    )

    services.conflict_declare(assignment=assignment, reviewer=reviewer, reason="I advise them.")

    assert Assignment.objects.count() == 0
    assert ConflictOfInterest.objects.get().source == ConflictSource.DECLARED


@pytest.mark.django_db
def test_conflict_declared_after_a_submitted_review_keeps_the_review(cohort):
    criterion = CriterionFactory(program=cohort.program)
    reviewer = make_reviewer(cohort.program)
    assignment = services.assignment_create(
        application=make_submitted(cohort), reviewer=reviewer, actor=make_manager(cohort.program)
    )
    submit_review(assignment, {criterion.pk: 3})

    with pytest.raises(ConflictError, match="review of this application is submitted"):
        services.conflict_declare(assignment=assignment, reviewer=reviewer)

    assert Review.objects.filter(assignment=assignment, submitted_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_assigning_the_same_reviewer_twice_is_a_conflict(cohort):
    reviewer, manager = make_reviewer(cohort.program), make_manager(cohort.program)
    application = make_submitted(cohort)
    services.assignment_create(application=application, reviewer=reviewer, actor=manager)

    with pytest.raises(ConflictError, match="already assigned"):
        services.assignment_create(application=application, reviewer=reviewer, actor=manager)


@pytest.mark.django_db
def test_assign_round_task_runs_the_assignment(cohort):
    from reviews.tasks import assign_round

    make_reviewer(cohort.program)
    make_submitted(cohort)

    created = assign_round.delay(cohort.pk).get()

    assert created == 1


@pytest.mark.django_db
def test_assign_round_task_returns_quietly_for_a_missing_round():
    from reviews.tasks import assign_round

    assert assign_round.delay(987654).get() == 0


def test_assign_round_task_goes_to_the_reviews_queue():
    from config.celery import app

    route = app.amqp.router.route({}, "reviews.assign_round")

    assert route["queue"].name == "reviews"
