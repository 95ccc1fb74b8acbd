"""Offers and the startups' answers to them.

Offer statuses change only through ``offer_transition``. Every path that
changes an offer, its application or its round takes their row locks in one
order: the round, then the offer, then the application. Two answers to one
offer (or an answer and the expiry task) then queue on the round instead of
deadlocking, and the one that comes second gets a ``ConflictError``."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from applicants.enums import ApplicationStatus
from applicants.models import Application
from applicants.services import application_transition
from common.errors import ConflictError
from programs.models import Cohort
from reviews.enums import OFFER_TRANSITIONS, OfferStatus
from reviews.models import Offer
from reviews.services.decisions import waitlist_promote
from reviews.signals import offer_accepted, offer_expiring

S = ApplicationStatus


def offer_transition(
    *, offer: Offer, to_status: str, actor: User | None, reason: str = "", now: datetime.datetime | None = None
) -> Offer:
    """The one write path for an offer's status: locks the round, then the
    offer, checks the move against ``OFFER_TRANSITIONS`` and records who
    answered, when and why."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_round(offer)
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        if to_status not in OFFER_TRANSITIONS[locked.status]:
            raise ConflictError(
                f"An offer that is {locked.get_status_display().lower()} "
                f"cannot become {OfferStatus(to_status).label.lower()}.",
                field="status",
            )
        if to_status in {OfferStatus.ACCEPTED, OfferStatus.DECLINED} and locked.expires_at <= now:
            raise ConflictError("This offer has expired.", field="status", code="expired")
        locked.status = to_status
        locked.responded_at = now
        locked.responded_by = actor
        locked.response_reason = reason
        locked.save(update_fields=["status", "responded_at", "responded_by", "response_reason"])
    for name in ("status", "responded_at", "responded_by", "response_reason"):
        setattr(offer, name, getattr(locked, name))
    return offer


def _lock_round(offer: Offer) -> Cohort:
    """Lock the offer's round, first on every path that changes an offer
    (taking it again in one transaction costs nothing)."""
    return Cohort.objects.select_for_update(of=("self",)).get(applications__id=offer.application_id)


def offer_accept(*, offer: Offer, user: User) -> Offer:
    """The startup takes up its place; ``offer_accepted`` starts what follows
    (the benefit schedule, which locks the application)."""
    with transaction.atomic():
        offer = offer_transition(offer=offer, to_status=OfferStatus.ACCEPTED, actor=user)
        application = Application.objects.get(pk=offer.application_id)
        if application.status != S.ACCEPTED:
            raise ConflictError("This application is no longer accepted.", field="status")
        offer_accepted.send(sender=Offer, application=application, actor=user)
    return offer


def _release_place(*, offer: Offer, to_status: str, actor: User | None, reason: str) -> Offer:
    with transaction.atomic():
        cohort = _lock_round(offer)
        offer = offer_transition(offer=offer, to_status=to_status, actor=actor, reason=reason)
        application = Application.objects.get(pk=offer.application_id)
        application_transition(
            application=application,
            to_status=S.WITHDRAWN,
            actor=actor,
            reason=reason,
            expected_from=frozenset({S.ACCEPTED}),
        )
        waitlist_promote(cohort=cohort)
    return offer


def offer_decline(*, offer: Offer, user: User, reason: str = "") -> Offer:
    """The startup turns its place down: the application is withdrawn and the
    place goes to the top of the waitlist."""
    return _release_place(
        offer=offer, to_status=OfferStatus.DECLINED, actor=user, reason=reason or "The startup declined the offer."
    )


def offer_expire(*, offer_id: int, now: datetime.datetime | None = None) -> bool:
    """Expire one unanswered offer past its deadline; False if it was answered,
    is not yet due, or is gone."""
    now = now or timezone.now()
    offer = Offer.objects.filter(pk=offer_id, status=OfferStatus.OFFERED, expires_at__lte=now).first()
    if offer is None:
        return False
    try:
        _release_place(offer=offer, to_status=OfferStatus.EXPIRED, actor=None, reason="The offer expired unanswered.")
    except ConflictError:
        return False
    return True


def offers_expire(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    due = Offer.objects.filter(status=OfferStatus.OFFERED, expires_at__lte=now).values_list("pk", flat=True)
    return sum(offer_expire(offer_id=pk, now=now) for pk in list(due))


def offers_warn_expiring(*, now: datetime.datetime | None = None) -> int:
    """Raise ``offer_expiring`` once for each open offer within
    ``RUNWAY_OFFER_WARNING_HOURS`` of its deadline."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(hours=settings.RUNWAY_OFFER_WARNING_HOURS)
    due = Offer.objects.filter(
        status=OfferStatus.OFFERED, expires_at__gt=now, expires_at__lte=horizon, expiry_warned_at__isnull=True
    )
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            if not Offer.objects.filter(pk=pk, expiry_warned_at__isnull=True).update(expiry_warned_at=now):
                continue
            offer_expiring.send(sender=Offer, offer=Offer.objects.select_related("application").get(pk=pk))
        sent += 1
    return sent
