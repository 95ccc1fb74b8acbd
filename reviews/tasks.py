from celery import shared_task

from accounts.models import User
from programs.models import Cohort
from reviews.services.assignment import assignment_run
from reviews.services.offers import offers_expire, offers_warn_expiring
from reviews.services.reviewing import review_reminders_send


@shared_task(name="reviews.assign_round")
def assign_round(cohort_id: int, actor_id: int | None = None) -> int:
    """Assign reviewers for a whole round. Safe to run twice: a re-run adds nothing."""
    cohort = Cohort.objects.select_related("program").filter(pk=cohort_id).first()
    if cohort is None:
        return 0
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return len(assignment_run(cohort=cohort, actor=actor).new)


@shared_task(name="reviews.send_review_reminders")
def send_review_reminders() -> int:
    return review_reminders_send()


@shared_task(name="reviews.expire_offers")
def expire_offers() -> int:
    """Expire unanswered offers past their deadline (their places go to the
    waitlist) and warn the startups whose offers run out soon."""
    expired = offers_expire()
    offers_warn_expiring()
    return expired
