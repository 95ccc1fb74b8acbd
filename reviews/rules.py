"""Who may do what in the review flow. Default deny. Pages, the API and the
admin ask these; the selectors they use also filter by them, so a row that
fails a rule is a 404 rather than a leak."""

from accounts.models import User
from applicants.rules import is_startup_member
from programs.models import Cohort
from programs.rules import is_program_manager, is_program_reviewer
from reviews.conflicts import detected_conflict
from reviews.models import Assignment, Offer


def can_review(user: User, assignment: Assignment) -> bool:
    """The assigned reviewer, still a reviewer of the program, with no conflict."""
    return (
        user.is_authenticated
        and assignment.reviewer_id == user.pk
        and is_program_reviewer(user, assignment.application.cohort.program)
        and detected_conflict(user, assignment.application.startup_id) is None
    )


def can_manage_round(user: User, cohort: Cohort) -> bool:
    return is_program_manager(user, cohort.program)


def can_respond_to_offer(user: User, offer: Offer) -> bool:
    return is_startup_member(user, offer.application.startup)
