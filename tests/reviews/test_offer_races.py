"""Answers to one offer arriving at once, from the startup and the expiry task."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from adoption.models import CheckIn, Disbursement
from applicants.enums import ApplicationStatus
from applicants.models import Application
from programs.models import Cohort
from reviews import services
from reviews.enums import DecisionKind, OfferStatus
from reviews.models import Offer
from tests.factories import BenefitFactory
from tests.reviews.conftest import founder_of, make_in_review, make_manager
from tests.support.threads import all_at_once, run
from tests.support.workers import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

API = "/api/v1/reviews"
ANSWERS = 10


@pytest.fixture
def offer(cohort):
    BenefitFactory(program=cohort.program)
    application = make_in_review(cohort)
    services.decision_make(application=application, kind=DecisionKind.ACCEPT, actor=make_manager(cohort.program))
    return Offer.objects.get(application=application)


def waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted)", [pid])
        return cursor.fetchone()[0]


def answer(offer: Offer, action: str) -> Callable[[], object]:
    def post() -> object:
        client = APIClient()
        client.force_authenticate(founder_of(offer.application))
        return client.post(f"{API}/offers/{offer.pk}/{action}/", {"reason": "Timing"}, format="json").status_code

    return post


def assert_consistent(offer: Offer) -> None:
    offer.refresh_from_db()
    application = Application.objects.get(pk=offer.application_id)
    payments = Disbursement.objects.filter(application=application).count()
    checkins = CheckIn.objects.filter(application=application).count()
    if offer.status == OfferStatus.ACCEPTED:
        assert (application.status, payments, checkins) == (ApplicationStatus.ACCEPTED, 6, 6)
    else:
        assert (application.status, payments, checkins) == (ApplicationStatus.WITHDRAWN, 0, 0)
    assert list(application.status_changes.values_list("to_status", flat=True).order_by("pk"))[-1] == (
        application.status
    )


@pytest.mark.parametrize("attempt", range(3))
def test_ten_accepts_against_ten_declines_answer_200_once_and_409_otherwise(offer, attempt):
    outcomes = all_at_once([answer(offer, "accept"), answer(offer, "decline")] * ANSWERS)

    assert sorted(map(str, outcomes)) == ["200"] + ["409"] * (2 * ANSWERS - 1)
    assert_consistent(offer)


def test_accept_waiting_for_the_expiry_task_holds_no_lock_the_task_needs(offer):
    """The expiry task locks the round, then the offer. An accept arriving
    while the task holds the round waits for it without taking the offer
    first, so the task finishes and the accept answers 409."""
    blocked_pid: list[int] = []

    def accept() -> object:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            blocked_pid.append(cursor.fetchone()[0])
        return answer(offer, "accept")()

    # The task's clock says the deadline has passed while the startup's
    # request still arrives before it.
    with transaction.atomic():
        Cohort.objects.select_for_update().get(pk=offer.application.cohort_id)
        outcome: list[object] = [None]
        thread = threading.Thread(target=run, args=(accept, outcome, 0))
        thread.start()
        wait_for(lambda: blocked_pid and waits_for_a_lock(blocked_pid[0]))
        expired = services.offers_expire(now=offer.expires_at)
    thread.join(timeout=30)

    assert (expired, outcome) == (1, [409])
    assert_consistent(offer)
