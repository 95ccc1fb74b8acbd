"""Turn other apps' events into outbox messages.

Each receiver runs inside the sender's transaction, so its messages commit or
roll back with the event. A receiver builds the placeholder values its event
declares in ``notifications.events`` and hands them to ``messages_create``.
"""

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from accounts import selectors as accounts_selectors
from accounts import tokens as accounts_tokens
from accounts.models import PendingSignup, User
from accounts.signals import signup_attempted, signup_requested
from adoption.models import CheckIn, Disbursement
from adoption.signals import checkin_due, payment_made
from applicants import selectors as applicants_selectors
from applicants.enums import ApplicationStatus
from applicants.models import Application, Invitation
from applicants.signals import application_status_changed, invitation_created
from notifications import events
from notifications.services import Draft, Recipient, date_for, messages_create, month_for
from reviews.models import Assignment, Offer
from reviews.signals import offer_expiring, review_assigned, review_overdue

STATUS_EVENTS = {
    ApplicationStatus.SUBMITTED: events.APPLICATION_SUBMITTED,
    ApplicationStatus.INELIGIBLE: events.APPLICATION_INELIGIBLE,
    ApplicationStatus.ACCEPTED: events.APPLICATION_ACCEPTED,
    ApplicationStatus.WAITLISTED: events.APPLICATION_WAITLISTED,
    ApplicationStatus.REJECTED: events.APPLICATION_REJECTED,
}
TO_BE_ANNOUNCED = {"en": "to be announced", "fr": "à annoncer"}


def site_url(path: str) -> str:
    return settings.RUNWAY_SITE_URL.rstrip("/") + path


def ineligibility_reasons(application: Application, fallback: str) -> str:
    outcomes = application.eligibility.get("outcomes", []) if isinstance(application.eligibility, dict) else []
    messages = [
        outcome["message"]
        for outcome in outcomes
        if isinstance(outcome, dict) and not outcome.get("passed") and outcome.get("severity") == "hard"
    ]
    if not messages and fallback:
        messages = [part.strip() for part in fallback.split(";") if part.strip()]
    return "\n".join(f"- {message}" for message in messages)


def startup_drafts(startup, *, key: str, values: Callable[[Recipient], dict[str, str]]) -> list[Draft]:
    """One draft per member of ``startup``, each in the member's language."""
    drafts = []
    for member in applicants_selectors.member_list(startup=startup):
        recipient = Recipient.for_user(member.user)
        drafts.append(
            Draft(
                recipient=recipient,
                values={"recipient_name": recipient.name, **values(recipient)},
                dedup_key=f"{key}:user:{member.user_id}",
            )
        )
    return drafts


@receiver(application_status_changed, dispatch_uid="notifications.application_status_changed")
def on_application_status_changed(
    sender: object, *, application: Application, to_status: str, reason: str = "", **kwargs: object
) -> None:
    event = STATUS_EVENTS.get(ApplicationStatus(to_status))
    if event is None:
        return
    cohort = application.cohort
    program = cohort.program
    dashboard = site_url(reverse("applicants:dashboard"))
    reasons = ineligibility_reasons(application, reason) if event is events.APPLICATION_INELIGIBLE else ""
    drafts = startup_drafts(
        application.startup,
        key=f"{event.key}:application:{application.pk}",
        values=lambda recipient: {
            "startup": application.startup.name,
            "program": program.name,
            "round": cohort.name,
            "dashboard_url": dashboard,
            "decision_date": date_for(
                cohort.decision_date,
                language=recipient.language,
                default=TO_BE_ANNOUNCED.get(recipient.language, TO_BE_ANNOUNCED["en"]),
            ),
            "reasons": reasons,
        },
    )
    messages_create(event=event.key, program=program, drafts=drafts)


@receiver(signup_requested, dispatch_uid="notifications.signup_requested")
def on_signup_requested(sender: object, *, signup: PendingSignup, **kwargs: object) -> None:
    expires_at = signup.created_at + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    recipient = Recipient(email=signup.email, name=signup.full_name or signup.email)
    draft = Draft(
        recipient=recipient,
        values={"recipient_name": recipient.name, "expires_on": date_for(expires_at, language=recipient.language)},
        dedup_key=f"{events.SIGNUP_CONFIRM.key}:signup:{signup.pk}",
        context={"signup": signup.pk},
    )
    messages_create(event=events.SIGNUP_CONFIRM.key, program=None, drafts=[draft])


@events.values_at_send(events.SIGNUP_CONFIRM)
def signup_link(context: Mapping[str, Any]) -> dict[str, str]:
    signup = accounts_selectors.signup_get_pending(pk=context["signup"])
    if signup is None:
        raise events.MessageObsolete("The sign-up was confirmed or has expired.")
    token = accounts_tokens.signup_token_make(signup)
    return {"confirm_url": site_url(reverse("accounts:signup-confirm", kwargs={"pk": signup.pk, "token": token}))}


@receiver(signup_attempted, dispatch_uid="notifications.signup_attempted")
def on_signup_attempted(sender: object, *, user: User, **kwargs: object) -> None:
    recipient = Recipient.for_user(user)
    # At most one an hour: sign-up must not let anyone fill an inbox with these.
    hour = timezone.now().strftime("%Y-%m-%dT%H")
    draft = Draft(
        recipient=recipient,
        values={
            "recipient_name": recipient.name,
            "login_url": site_url(reverse("accounts:login")),
            "reset_url": site_url(reverse("accounts:password-reset")),
        },
        dedup_key=f"{events.SIGNUP_EXISTING.key}:user:{user.pk}:{hour}",
    )
    messages_create(event=events.SIGNUP_EXISTING.key, program=None, drafts=[draft])


@receiver(invitation_created, dispatch_uid="notifications.invitation_created")
def on_invitation_created(sender: object, *, invitation: Invitation, **kwargs: object) -> None:
    inviter = invitation.invited_by
    # The invitee reads their own language if they already have an account,
    # else the inviter's: most teams share one.
    existing = User.objects.filter(email__iexact=invitation.email).only("language").first()
    reader = existing or inviter
    language = reader.language if reader is not None else events.DEFAULT_LANGUAGE
    recipient = Recipient(email=invitation.email, language=language, user=existing)
    draft = Draft(
        recipient=recipient,
        values={
            "startup": invitation.startup.name,
            "inviter_name": inviter.get_full_name() if inviter else invitation.startup.name,
            "role": invitation.get_role_display(),
            "expires_on": date_for(invitation.expires_at, language=language),
        },
        dedup_key=f"{events.MEMBER_INVITED.key}:invitation:{invitation.pk}",
        context={"invitation": invitation.pk},
    )
    messages_create(event=events.MEMBER_INVITED.key, program=None, drafts=[draft])


@events.values_at_send(events.MEMBER_INVITED)
def invitation_link(context: Mapping[str, Any]) -> dict[str, str]:
    invitation = applicants_selectors.invitation_get_pending(pk=context["invitation"])
    token = invitation.current_token() if invitation is not None else None
    if token is None:
        raise events.MessageObsolete("The invitation was accepted, revoked or has expired.")
    return {"accept_url": site_url(reverse("applicants:invitation-accept", kwargs={"token": token}))}


@receiver(review_assigned, dispatch_uid="notifications.review_assigned")
def on_review_assigned(sender: object, *, assignments: list[Assignment], **kwargs: object) -> None:
    """One message per reviewer and run, however many applications it gave them."""
    by_reviewer: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_reviewer.setdefault(assignment.reviewer_id, []).append(assignment)
    if not by_reviewer:
        return
    first = Assignment.objects.select_related("application__cohort__program").get(pk=assignments[0].pk)
    cohort = first.application.cohort
    reviewers = User.objects.in_bulk(list(by_reviewer))
    queue_url = site_url(reverse("reviews:queue"))
    drafts = []
    for reviewer_id, given in by_reviewer.items():
        recipient = Recipient.for_user(reviewers[reviewer_id])
        drafts.append(
            Draft(
                recipient=recipient,
                values={
                    "recipient_name": recipient.name,
                    "program": cohort.program.name,
                    "round": cohort.name,
                    "due_date": date_for(min(a.due_at for a in given), language=recipient.language),
                    "count": str(len(given)),
                    "queue_url": queue_url,
                },
                # The lowest new assignment id names the run: ids are never reused.
                dedup_key=f"{events.REVIEW_ASSIGNED.key}:assignment:{min(a.pk for a in given)}:user:{reviewer_id}",
            )
        )
    messages_create(event=events.REVIEW_ASSIGNED.key, program=cohort.program, drafts=drafts)


@receiver(review_overdue, dispatch_uid="notifications.review_overdue")
def on_review_overdue(sender: object, *, assignment: Assignment, **kwargs: object) -> None:
    cohort = assignment.application.cohort
    recipient = Recipient.for_user(assignment.reviewer)
    today = timezone.localdate()
    draft = Draft(
        recipient=recipient,
        values={
            "recipient_name": recipient.name,
            "program": cohort.program.name,
            "round": cohort.name,
            "due_date": date_for(assignment.due_at, language=recipient.language),
            "review_url": site_url(reverse("reviews:assignment-detail", kwargs={"pk": assignment.pk})),
        },
        dedup_key=f"{events.REVIEW_OVERDUE.key}:assignment:{assignment.pk}:day:{today.isoformat()}",
    )
    messages_create(event=events.REVIEW_OVERDUE.key, program=cohort.program, drafts=[draft])


@receiver(offer_expiring, dispatch_uid="notifications.offer_expiring")
def on_offer_expiring(sender: object, *, offer: Offer, **kwargs: object) -> None:
    application = offer.application
    cohort = application.cohort
    offer_url = site_url(reverse("reviews:offer-detail", kwargs={"pk": offer.pk}))
    drafts = startup_drafts(
        application.startup,
        key=f"{events.OFFER_EXPIRING.key}:offer:{offer.pk}",
        values=lambda recipient: {
            "startup": application.startup.name,
            "program": cohort.program.name,
            "round": cohort.name,
            "expires_on": date_for(offer.expires_at, language=recipient.language),
            "offer_url": offer_url,
        },
    )
    messages_create(event=events.OFFER_EXPIRING.key, program=cohort.program, drafts=drafts)


@receiver(checkin_due, dispatch_uid="notifications.checkin_due")
def on_checkin_due(sender: object, *, checkin: CheckIn, **kwargs: object) -> None:
    program = checkin.application.cohort.program
    url = site_url(reverse("adoption:checkin-edit", kwargs={"startup_pk": checkin.startup_id, "pk": checkin.pk}))
    drafts = startup_drafts(
        checkin.startup,
        key=f"{events.CHECKIN_DUE.key}:checkin:{checkin.pk}",
        values=lambda recipient: {
            "startup": checkin.startup.name,
            "program": program.name,
            "month": month_for(checkin.month, language=recipient.language),
            "due_date": date_for(checkin.due_on, language=recipient.language),
            "checkin_url": url,
        },
    )
    messages_create(event=events.CHECKIN_DUE.key, program=program, drafts=drafts)


@receiver(payment_made, dispatch_uid="notifications.payment_made")
def on_payment_made(sender: object, *, disbursement: Disbursement, **kwargs: object) -> None:
    program = disbursement.program
    url = site_url(reverse("adoption:payment-list", kwargs={"startup_pk": disbursement.startup_id}))
    drafts = startup_drafts(
        disbursement.startup,
        key=f"{events.PAYMENT_MADE.key}:disbursement:{disbursement.pk}",
        values=lambda recipient: {
            "startup": disbursement.startup.name,
            "program": program.name,
            "amount": f"{disbursement.currency} {disbursement.amount:,.2f}",
            "month": month_for(disbursement.month, language=recipient.language),
            "payments_url": url,
        },
    )
    messages_create(event=events.PAYMENT_MADE.key, program=program, drafts=drafts)
