import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from common.errors import ConflictError, DomainError, PermissionDeniedError
from reviews import services
from reviews.models import Assignment, Review, Score
from reviews.signals import review_overdue
from tests.factories import CriterionFactory, ReviewFactory
from tests.reviews.conftest import make_manager, make_reviewer, make_submitted, submit_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(cohort):
    return services.assignment_create(
        application=make_submitted(cohort), reviewer=make_reviewer(cohort.program), actor=make_manager(cohort.program)
    )


def test_review_save_keeps_a_partial_draft(assignment, criterion):
    review = services.review_save(assignment=assignment, reviewer=assignment.reviewer, scores={criterion.pk: 7})

    assert (review.submitted_at, list(review.scores.values_list("value", flat=True))) == (None, [7])


def test_review_save_refuses_a_score_off_the_scale_naming_the_criterion(assignment, criterion):
    with pytest.raises(DomainError) as error:
        services.review_save(assignment=assignment, reviewer=assignment.reviewer, scores={criterion.pk: 11})

    assert list(error.value.as_dict()) == [f"criterion_{criterion.pk}"]


def test_review_save_refuses_another_reviewer(assignment, cohort, criterion):
    other = make_reviewer(cohort.program)

    with pytest.raises(PermissionDeniedError):
        services.review_save(assignment=assignment, reviewer=other, scores={criterion.pk: 5})


def test_review_submit_computes_the_weighted_mean(assignment, cohort):
    team = CriterionFactory(program=cohort.program, weight=Decimal("1.0"), scale_max=5)
    product = CriterionFactory(program=cohort.program, weight=Decimal("3.0"), scale_max=5)

    review = submit_review(assignment, {team.pk: 2, product.pk: 4})

    # (1·2 + 3·4) / (1 + 3) = 3.5
    assert review.weighted_score == Decimal("3.5000")
    assert review.submitted_at is not None


def test_review_submit_with_a_missing_score_keeps_the_draft_and_names_what_is_missing(assignment, cohort):
    team = CriterionFactory(program=cohort.program)
    product = CriterionFactory(program=cohort.program)

    with pytest.raises(DomainError) as error:
        submit_review(assignment, {team.pk: 3})

    assert list(error.value.as_dict()) == [f"criterion_{product.pk}"]
    review = Review.objects.get(assignment=assignment)
    assert (review.submitted_at, review.comment, review.scores.count()) == (None, "Solid team.", 1)


def test_review_submit_twice_is_a_conflict(assignment, criterion):
    submit_review(assignment, {criterion.pk: 5})

    with pytest.raises(ConflictError):
        submit_review(assignment, {criterion.pk: 6})


def test_review_save_refuses_an_application_no_longer_in_review(assignment, criterion):
    from applicants.services import application_withdraw

    application_withdraw(application=assignment.application, user=assignment.reviewer)

    with pytest.raises(ConflictError):
        services.review_save(assignment=assignment, reviewer=assignment.reviewer, scores={criterion.pk: 5})


def test_score_outside_its_scale_is_refused_by_the_database(assignment, criterion):
    review = ReviewFactory(assignment=assignment)

    with pytest.raises(IntegrityError):
        Score.objects.create(review=review, criterion=criterion, value=11, scale_min=1, scale_max=10)


def test_second_review_for_an_assignment_is_refused_by_the_database(assignment):
    ReviewFactory(assignment=assignment)

    with pytest.raises(IntegrityError):
        ReviewFactory(assignment=assignment)


def test_submitted_review_without_a_recommendation_is_refused_by_the_database(assignment):
    with pytest.raises(IntegrityError):
        ReviewFactory(assignment=assignment, submitted_at=timezone.now(), weighted_score=Decimal(3))


# --- Reminders ------------------------------------------------------------------


@pytest.fixture
def overdue(assignment):
    Assignment.objects.filter(pk=assignment.pk).update(due_at=timezone.now() - datetime.timedelta(days=1))
    return assignment


@pytest.fixture
def reminded():
    received = []

    def receiver(sender, assignment, **kwargs):
        received.append(assignment.pk)

    review_overdue.connect(receiver)
    yield received
    review_overdue.disconnect(receiver)


def test_reminders_raise_the_event_for_an_overdue_assignment(overdue, reminded):
    sent = services.review_reminders_send()

    assert (sent, reminded) == (1, [overdue.pk])


def test_reminders_run_twice_the_same_day_remind_once(overdue, reminded):
    services.review_reminders_send()

    services.review_reminders_send()

    assert reminded == [overdue.pk]


def test_reminders_remind_again_the_next_day(overdue, reminded):
    now = timezone.now()
    services.review_reminders_send(now=now)

    services.review_reminders_send(now=now + datetime.timedelta(days=1))

    assert reminded == [overdue.pk, overdue.pk]


def test_reminders_skip_a_submitted_review(overdue, reminded, criterion):
    submit_review(overdue, {criterion.pk: 5})

    services.review_reminders_send()

    assert reminded == []


def test_reminders_skip_an_assignment_not_yet_due(assignment, reminded):
    services.review_reminders_send()

    assert reminded == []


def test_send_review_reminders_task_is_registered_with_its_name(overdue, reminded):
    from reviews.tasks import send_review_reminders

    assert send_review_reminders.name == "reviews.send_review_reminders"
    assert send_review_reminders.delay().get() == 1
