import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from applicants.enums import ApplicationStatus
from applicants.models import Application
from common.errors import ConflictError
from reviews import services
from reviews.enums import DecisionKind, OfferStatus
from reviews.models import Decision, Offer
from reviews.signals import offer_accepted, offer_expiring, offer_made
from tests.reviews.conftest import founder_of, make_in_review, make_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(cohort):
    return make_manager(cohort.program)


def test_accept_records_who_when_and_why_and_makes_an_offer(cohort, manager):
    application = make_in_review(cohort)

    decision = services.decision_make(
        application=application, kind=DecisionKind.ACCEPT, actor=manager, reason="Top of the ranking."
    )

    application.refresh_from_db()
    offer = Offer.objects.get(application=application)
    assert (decision.actor, decision.reason, decision.from_status) == (manager, "Top of the ranking.", "in_review")
    assert application.status == ApplicationStatus.ACCEPTED
    assert offer.status == OfferStatus.OFFERED
    assert offer.expires_at > timezone.now() + datetime.timedelta(days=13)


def test_accept_sends_offer_made(cohort, manager):
    received = []

    def receiver(sender, offer, **kwargs):
        received.append(offer.pk)

    offer_made.connect(receiver)
    try:
        services.decision_make(application=make_in_review(cohort), kind=DecisionKind.ACCEPT, actor=manager)
    finally:
        offer_made.disconnect(receiver)

    assert received == [Offer.objects.get().pk]


def test_accept_beyond_capacity_is_a_conflict(cohort, manager):
    applications = [make_in_review(cohort) for _ in range(cohort.capacity + 1)]
    for application in applications[:-1]:
        services.decision_make(application=application, kind=DecisionKind.ACCEPT, actor=manager)

    with pytest.raises(ConflictError) as error:
        services.decision_make(application=applications[-1], kind=DecisionKind.ACCEPT, actor=manager)

    assert error.value.code == "full"


def test_reject_a_submitted_application_not_yet_in_review_is_a_conflict(cohort, manager):
    from tests.reviews.conftest import make_submitted

    with pytest.raises(ConflictError):
        services.decision_make(application=make_submitted(cohort), kind=DecisionKind.REJECT, actor=manager)


def test_bulk_decision_accepts_until_the_round_is_full_and_reports_each_outcome(cohort, manager):
    applications = [make_in_review(cohort) for _ in range(7)]

    outcomes = services.decision_make_bulk(
        cohort=cohort, application_ids=[a.pk for a in applications], kind=DecisionKind.ACCEPT, actor=manager
    )

    assert [outcome.ok for outcome in outcomes] == [True] * 5 + [False] * 2
    assert Application.objects.filter(status=ApplicationStatus.ACCEPTED).count() == 5


def test_bulk_decision_reports_an_application_of_another_round(cohort, manager):
    from tests.factories import CohortFactory

    stranger = make_in_review(CohortFactory())

    outcomes = services.decision_make_bulk(
        cohort=cohort, application_ids=[stranger.pk], kind=DecisionKind.REJECT, actor=manager
    )

    assert [(outcome.ok, outcome.error) for outcome in outcomes] == [(False, "No such application in this round.")]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_accept_requests_on_a_round_of_five_accept_exactly_five(cohort, manager):
    from rest_framework.test import APIClient

    applications = [make_in_review(cohort) for _ in range(20)]
    barrier = threading.Barrier(20)
    codes: list[int] = []
    lock = threading.Lock()

    def accept(application_id: int) -> None:
        # Each thread is a client with its own database connection.
        try:
            api = APIClient()
            api.force_authenticate(manager)
            barrier.wait()
            response = api.post(
                f"/api/v1/reviews/rounds/{cohort.pk}/decisions/",
                {"application": application_id, "decision": "accept"},
                format="json",
            )
            with lock:
                codes.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(application.pk,)) for application in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(codes) == [201] * 5 + [409] * 15
    assert Application.objects.filter(cohort=cohort, status=ApplicationStatus.ACCEPTED).count() == 5
    assert Offer.objects.filter(application__cohort=cohort).count() == 5
    assert Decision.objects.filter(application__cohort=cohort).count() == 5


# --- Offers -----------------------------------------------------------------------


@pytest.fixture
def offer(cohort, manager):
    application = make_in_review(cohort)
    services.decision_make(application=application, kind=DecisionKind.ACCEPT, actor=manager)
    return Offer.objects.get(application=application)


@pytest.fixture
def waitlisted(cohort, manager):
    """Two waitlisted applications; the second was scored higher by nobody, so
    the earlier submission tops the waitlist."""
    first, second = make_in_review(cohort), make_in_review(cohort)
    for application in (first, second):
        services.decision_make(application=application, kind=DecisionKind.WAITLIST, actor=manager)
    return first, second


def test_offer_accept_sends_offer_accepted_with_the_application_and_actor(offer):
    founder = founder_of(offer.application)
    received = []

    def receiver(sender, application, actor, **kwargs):
        received.append((application.pk, actor))

    offer_accepted.connect(receiver)
    try:
        services.offer_accept(offer=offer, user=founder)
    finally:
        offer_accepted.disconnect(receiver)

    offer.refresh_from_db()
    assert (offer.status, offer.responded_by) == (OfferStatus.ACCEPTED, founder)
    assert received == [(offer.application_id, founder)]


def test_offer_accept_after_its_deadline_is_a_conflict(offer):
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    offer.refresh_from_db()

    with pytest.raises(ConflictError):
        services.offer_accept(offer=offer, user=founder_of(offer.application))


def test_offer_answered_twice_is_a_conflict(offer):
    founder = founder_of(offer.application)
    services.offer_accept(offer=offer, user=founder)

    with pytest.raises(ConflictError):
        services.offer_decline(offer=offer, user=founder)


def test_offer_decline_withdraws_and_passes_the_place_to_the_top_of_the_waitlist(cohort, offer, waitlisted):
    first, second = waitlisted
    founder = founder_of(offer.application)

    services.offer_decline(offer=offer, user=founder, reason="We raised a round instead.")

    statuses = dict(Application.objects.filter(cohort=cohort).values_list("id", "status"))
    assert statuses[offer.application_id] == ApplicationStatus.WITHDRAWN
    assert (statuses[first.pk], statuses[second.pk]) == (ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED)
    promotion = Decision.objects.get(application=first, kind=DecisionKind.ACCEPT)
    assert promotion.actor is None
    assert promotion.from_status == ApplicationStatus.WAITLISTED
    assert Offer.objects.get(application=first).status == OfferStatus.OFFERED


def test_expire_offers_expires_a_late_offer_and_fills_the_place_from_the_waitlist(cohort, offer, waitlisted):
    from reviews.tasks import expire_offers

    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    expired = expire_offers.delay().get()

    offer.refresh_from_db()
    assert (expired, offer.status) == (1, OfferStatus.EXPIRED)
    assert Application.objects.get(pk=waitlisted[0].pk).status == ApplicationStatus.ACCEPTED


def test_expire_offers_twice_expires_once(offer):
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    assert (services.offers_expire(), services.offers_expire()) == (1, 0)


def test_expire_offers_leaves_an_offer_that_is_not_due(offer):
    assert services.offers_expire() == 0


def test_offers_about_to_expire_are_warned_once(offer):
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() + datetime.timedelta(hours=12))
    received = []

    def receiver(sender, offer, **kwargs):
        received.append(offer.pk)

    offer_expiring.connect(receiver)
    try:
        services.offers_warn_expiring()
        services.offers_warn_expiring()
    finally:
        offer_expiring.disconnect(receiver)

    assert received == [offer.pk]
