from django.db import models

from applicants.enums import ApplicationStatus


class AssignmentStage(models.TextChoices):
    REVIEW = "review", "Review"
    FINAL = "final", "Final review"


class AssignmentSource(models.TextChoices):
    AUTOMATIC = "automatic", "Automatic"
    MANUAL = "manual", "By hand"


class ConflictSource(models.TextChoices):
    DECLARED = "declared", "Declared by the reviewer"
    EMAIL_DOMAIN = "email_domain", "Same e-mail domain as a member"
    MEMBER = "member", "Member of the startup"


class Recommendation(models.TextChoices):
    STRONG_YES = "strong_yes", "Strong yes"
    YES = "yes", "Yes"
    MAYBE = "maybe", "Maybe"
    NO = "no", "No"


class DecisionKind(models.TextChoices):
    ACCEPT = "accept", "Accept"
    WAITLIST = "waitlist", "Waitlist"
    REJECT = "reject", "Reject"


# What each decision makes of the application.
DECISION_STATUS: dict[str, str] = {
    DecisionKind.ACCEPT: ApplicationStatus.ACCEPTED,
    DecisionKind.WAITLIST: ApplicationStatus.WAITLISTED,
    DecisionKind.REJECT: ApplicationStatus.REJECTED,
}


class OfferStatus(models.TextChoices):
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"


# The only moves an offer can make; reviews.services.offer_transition checks it.
OFFER_TRANSITIONS: dict[str, frozenset[str]] = {
    OfferStatus.OFFERED: frozenset({OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.EXPIRED}),
    OfferStatus.ACCEPTED: frozenset(),
    OfferStatus.DECLINED: frozenset(),
    OfferStatus.EXPIRED: frozenset(),
}

# Applications the assignment gives reviewers to: submitted ones passed the
# hard eligibility rules (failures become ineligible), in-review ones may be short.
ASSIGNABLE_STATUSES = frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW})
# Applications a reviewer may score.
REVIEWABLE_STATUSES = frozenset({ApplicationStatus.IN_REVIEW})
# Applications the ranking board lists.
RANKED_STATUSES = frozenset(
    {ApplicationStatus.IN_REVIEW, ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED}
)
