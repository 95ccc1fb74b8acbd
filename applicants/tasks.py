from celery import shared_task

from applicants import services


@shared_task(name="applicants.start_review_for_closed_rounds")
def start_review_for_closed_rounds() -> int:
    return services.applications_start_review_for_closed_rounds()
