"""Writes for assignments, conflicts, reviews, decisions and offers, one module
per sub-domain. Application statuses change only through
``applicants.services.application_transition``; offer statuses only through
``offers.offer_transition``.

The names below are the package's public surface, so ``services.decision_make``
reads the same wherever it is called from.
"""

from reviews.services.assignment import (
    assignment_create,
    assignment_delete,
    assignment_preview,
    assignment_run,
    assignment_run_enqueue,
    conflict_declare,
)
from reviews.services.decisions import BulkOutcome, decision_make, decision_make_bulk, waitlist_promote
from reviews.services.offers import (
    offer_accept,
    offer_decline,
    offer_expire,
    offer_transition,
    offers_expire,
    offers_warn_expiring,
)
from reviews.services.reviewing import review_reminders_send, review_save, review_submit

__all__ = [
    "BulkOutcome",
    "assignment_create",
    "assignment_delete",
    "assignment_preview",
    "assignment_run",
    "assignment_run_enqueue",
    "conflict_declare",
    "decision_make",
    "decision_make_bulk",
    "offer_accept",
    "offer_decline",
    "offer_expire",
    "offer_transition",
    "offers_expire",
    "offers_warn_expiring",
    "review_reminders_send",
    "review_save",
    "review_submit",
    "waitlist_promote",
]
