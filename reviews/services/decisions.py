"""Decisions within the round's capacity, and the waitlist that fills a freed place.

Decisions that change how many places are taken lock the round's row first,
so capacity holds under concurrency."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from applicants.enums import ApplicationStatus
from applicants.models import Application
from applicants.services import application_transition
from common.errors import ConflictError, DomainError
from programs.models import Cohort
from reviews import selectors
from reviews.enums import DECISION_STATUS, DecisionKind
from reviews.errors import ReviewError
from reviews.models import Decision, Offer
from reviews.signals import offer_made

S = ApplicationStatus


DECIDABLE_FROM: dict[str, frozenset[str]] = {
    DecisionKind.ACCEPT: frozenset({S.IN_REVIEW, S.WAITLISTED}),
    DecisionKind.WAITLIST: frozenset({S.IN_REVIEW}),
    DecisionKind.REJECT: frozenset({S.IN_REVIEW, S.WAITLISTED}),
}


def _offer_expires_at() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.RUNWAY_OFFER_DAYS)


def _decide_locked(*, cohort: Cohort, application: Application, kind: str, actor: User | None, reason: str) -> Decision:
    """Call while holding the round's row lock."""
    if kind not in DECISION_STATUS:
        raise ReviewError("Choose accept, waitlist or reject.", field="decision")
    if application.cohort_id != cohort.pk:
        raise ReviewError("This application belongs to another round.", field="application")
    if kind == DecisionKind.ACCEPT:
        taken = Application.objects.filter(cohort=cohort, status=S.ACCEPTED).count()
        if taken >= cohort.capacity:
            raise ConflictError(
                f"The round is full: {taken} of {cohort.capacity} places are taken.", field="decision", code="full"
            )
    from_status = Application.objects.select_for_update().values_list("status", flat=True).get(pk=application.pk)
    application_transition(
        application=application,
        to_status=DECISION_STATUS[kind],
        actor=actor,
        reason=reason,
        expected_from=DECIDABLE_FROM[kind],
    )
    decision = Decision.objects.create(
        application=application, kind=kind, from_status=from_status, actor=actor, reason=reason
    )
    if kind == DecisionKind.ACCEPT:
        offer = Offer.objects.create(application=application, expires_at=_offer_expires_at())
        offer_made.send(sender=Offer, offer=offer)
    return decision


def decision_make(*, application: Application, kind: str, actor: User | None, reason: str = "") -> Decision:
    """Accept, waitlist or reject one application. Accepting never takes the
    round beyond its capacity, however many requests arrive at once: the
    round's row is locked and the places counted inside the lock. Accepting
    also makes an offer with a deadline."""
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().get(pk=application.cohort_id)
        return _decide_locked(cohort=cohort, application=application, kind=kind, actor=actor, reason=reason)


@dataclass
class BulkOutcome:
    application_id: int
    ok: bool
    error: str = ""


def decision_make_bulk(
    *, cohort: Cohort, application_ids: Iterable[int], kind: str, actor: User, reason: str = ""
) -> list[BulkOutcome]:
    """Decide many applications of one round, in the order given. Each one
    succeeds or fails on its own (say, when the round fills up), and the
    outcome of each is returned."""
    outcomes: list[BulkOutcome] = []
    with transaction.atomic():
        locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
        applications = Application.objects.in_bulk([int(pk) for pk in application_ids])
        for application_id in application_ids:
            application = applications.get(int(application_id))
            if application is None or application.cohort_id != locked.pk:
                outcomes.append(BulkOutcome(int(application_id), False, "No such application in this round."))
                continue
            try:
                with transaction.atomic():
                    _decide_locked(cohort=locked, application=application, kind=kind, actor=actor, reason=reason)
            except DomainError as error:
                outcomes.append(BulkOutcome(application.pk, False, error.message))
            else:
                outcomes.append(BulkOutcome(application.pk, True))
    return outcomes


def waitlist_promote(*, cohort: Cohort) -> Decision | None:
    """Give the place just freed to the best-ranked waitlisted application, if
    the round has a free place. One place for one place: free places the
    managers left open on purpose stay theirs to fill. Call while holding the
    round's row lock."""
    if Application.objects.filter(cohort=cohort, status=S.ACCEPTED).count() >= cohort.capacity:
        return None
    ranked = selectors.ranking_list(cohort=cohort, statuses=frozenset({S.WAITLISTED}))
    if not ranked:
        return None
    return _decide_locked(
        cohort=cohort,
        application=Application.objects.get(pk=ranked[0].application_id),
        kind=DecisionKind.ACCEPT,
        actor=None,
        reason="A place became free and this application was at the top of the waitlist.",
    )
