"""The events a program's integrations can subscribe to, and the receivers
that turn the domain apps' signals into webhook deliveries.

Each receiver runs inside the sender's transaction, so its deliveries commit
or roll back with the event. A payload carries the event's ids and a snapshot
of what a program manager may see of it: never answers, reviews, reasons
written for the startup, nor anything secret.
"""

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from applicants.enums import ApplicationStatus
from applicants.models import Application
from applicants.signals import application_status_changed
from notifications import events
from notifications.receivers import site_url
from notifications.services import manager_drafts, messages_create
from outbox import services as outbox_services
from outbox.models import WebhookEndpoint
from outbox.signals import endpoint_disabled
from reviews.signals import offer_accepted

APPLICATION_SUBMITTED = "application.submitted"
APPLICATION_ACCEPTED = "application.accepted"
APPLICATION_WAITLISTED = "application.waitlisted"
APPLICATION_REJECTED = "application.rejected"
APPLICATION_WITHDRAWN = "application.withdrawn"
OFFER_ACCEPTED = "offer.accepted"

# event type -> what it means, for the forms and the API's schema
EVENT_TYPES: dict[str, str] = {
    APPLICATION_SUBMITTED: "A startup submitted an application to one of the program's rounds.",
    APPLICATION_ACCEPTED: "A manager accepted an application (an offer of a place was made).",
    APPLICATION_WAITLISTED: "A manager put an application on the waiting list.",
    APPLICATION_REJECTED: "A manager rejected an application.",
    APPLICATION_WITHDRAWN: "An application was withdrawn (by the startup, or an offer declined or expired).",
    OFFER_ACCEPTED: "A startup took up its offer of a place.",
}
STATUS_EVENT_TYPES = {
    ApplicationStatus.SUBMITTED: APPLICATION_SUBMITTED,
    ApplicationStatus.ACCEPTED: APPLICATION_ACCEPTED,
    ApplicationStatus.WAITLISTED: APPLICATION_WAITLISTED,
    ApplicationStatus.REJECTED: APPLICATION_REJECTED,
    ApplicationStatus.WITHDRAWN: APPLICATION_WITHDRAWN,
}


def event_type_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in EVENT_TYPES]


def application_snapshot(application: Application) -> dict[str, Any]:
    cohort = application.cohort
    return {
        "id": application.pk,
        "status": application.status,
        "startup": {"id": application.startup_id, "name": application.startup.name},
        "round": {"id": cohort.pk, "name": cohort.name},
        "program": {"id": cohort.program_id, "slug": cohort.program.slug},
        "submitted_at": application.submitted_at.isoformat() if application.submitted_at else None,
        "decided_at": application.decided_at.isoformat() if application.decided_at else None,
    }


@receiver(application_status_changed, dispatch_uid="notifications.webhooks.application_status_changed")
def on_application_status_changed(
    sender: object, *, application: Application, from_status: str, to_status: str, **kwargs: object
) -> None:
    event_type = STATUS_EVENT_TYPES.get(ApplicationStatus(to_status))
    if event_type is None:
        return
    now = timezone.now()
    outbox_services.webhooks_write(
        program_id=application.cohort.program_id,
        event_type=event_type,
        # The same status can come back (waitlisted, then accepted off another
        # list...): the moment is part of the event's name.
        key=f"{event_type}:application:{application.pk}:{now.isoformat()}",
        data={"application": application_snapshot(application), "from_status": from_status, "to_status": to_status},
        occurred_at=now,
    )


@receiver(offer_accepted, dispatch_uid="notifications.webhooks.offer_accepted")
def on_offer_accepted(sender: object, *, application: Application, **kwargs: object) -> None:
    now = timezone.now()
    outbox_services.webhooks_write(
        program_id=application.cohort.program_id,
        event_type=OFFER_ACCEPTED,
        key=f"{OFFER_ACCEPTED}:application:{application.pk}",
        data={"application": application_snapshot(application)},
        occurred_at=now,
    )


@receiver(endpoint_disabled, dispatch_uid="notifications.webhooks.endpoint_disabled")
def on_endpoint_disabled(sender: object, *, endpoint: WebhookEndpoint, **kwargs: object) -> None:
    program = endpoint.program
    url = site_url(reverse("notifications:webhook-list", kwargs={"slug": program.slug}))
    since = endpoint.disabled_at.isoformat() if endpoint.disabled_at else ""
    drafts = manager_drafts(
        program,
        key=lambda user_id: f"{events.WEBHOOK_DISABLED.key}:endpoint:{endpoint.pk}:{since}:user:{user_id}",
        values=lambda recipient: {
            "endpoint_url": endpoint.url,
            "failures": str(endpoint.consecutive_failures),
            "webhooks_url": url,
        },
    )
    messages_create(event=events.WEBHOOK_DISABLED.key, program=program, drafts=drafts)
