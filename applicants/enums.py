from django.db import models


class MemberRole(models.TextChoices):
    OWNER = "owner", "Owner"
    MEMBER = "member", "Member"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    ACCEPTED = "accepted", "Accepted"
    WAITLISTED = "waitlisted", "Waitlisted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    INELIGIBLE = "ineligible", "Ineligible"


S = ApplicationStatus

# The only moves an application can make. Everything that changes a status
# goes through applicants.services.application_transition, which checks this.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.INELIGIBLE, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.IN_REVIEW, S.INELIGIBLE, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.ACCEPTED, S.WAITLISTED, S.REJECTED, S.WITHDRAWN}),
    S.WAITLISTED: frozenset({S.ACCEPTED, S.REJECTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.WITHDRAWN}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.INELIGIBLE: frozenset(),
}

EDITABLE_STATUSES = frozenset({S.DRAFT})
# An accepted startup gives up its place by declining its offer, which also
# hands the place to the waitlist; the startup cannot simply withdraw then.
WITHDRAWABLE_STATUSES = frozenset(
    status for status, targets in TRANSITIONS.items() if S.WITHDRAWN in targets and status != S.ACCEPTED
)
DECIDED_STATUSES = frozenset({S.ACCEPTED, S.WAITLISTED, S.REJECTED})
FINAL_STATUSES = frozenset(status for status, targets in TRANSITIONS.items() if not targets)
