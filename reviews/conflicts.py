"""Which reviewers must not review which startups.

A conflict is declared by the reviewer (a ``ConflictOfInterest`` row) or
detected: the reviewer is a member of the startup, or shares the e-mail
domain of one of its members. Webmail domains say nothing about where
someone works, so they never make a conflict.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q

from accounts.emails import email_domain, is_identifying_domain
from accounts.models import User
from applicants.models import StartupMember
from reviews.enums import ConflictSource
from reviews.models import ConflictOfInterest


def conflict_q(reviewer: User, startup_path: str) -> Q:
    """A filter that is true where ``reviewer`` has a conflict with the startup
    found at ``startup_path`` (e.g. ``"application__startup"``), in SQL, so
    every reviewer query can exclude conflicted rows in the same statement."""
    startup_ref = OuterRef(startup_path)
    members = StartupMember.objects.filter(startup=startup_ref)
    same_person_or_domain = Q(user=reviewer)
    domain = email_domain(reviewer.email)
    if is_identifying_domain(domain):
        same_person_or_domain |= Q(user__email__iendswith=f"@{domain}")
    return Exists(ConflictOfInterest.objects.filter(reviewer=reviewer, startup=startup_ref)) | Exists(
        members.filter(same_person_or_domain)
    )


def detected_conflict(reviewer: User, startup_id: int) -> str | None:
    """The source of a conflict between ``reviewer`` and a startup, or None."""
    if ConflictOfInterest.objects.filter(reviewer=reviewer, startup_id=startup_id).exists():
        return ConflictSource.DECLARED
    pairs = conflict_pairs(reviewers=[reviewer], startup_ids=[startup_id], include_declared=False)
    return pairs.get((reviewer.pk, startup_id))


def conflict_pairs(
    *, reviewers: Iterable[User], startup_ids: Iterable[int], include_declared: bool = True
) -> dict[tuple[int, int], str]:
    """Every conflicted (reviewer id, startup id) pair among those given, with
    its source. Three queries whatever the sizes."""
    reviewers = list(reviewers)
    startup_ids = list(startup_ids)
    reviewer_ids = [reviewer.pk for reviewer in reviewers]
    pairs: dict[tuple[int, int], str] = {}
    by_domain: dict[str, list[int]] = defaultdict(list)
    for reviewer in reviewers:
        domain = email_domain(reviewer.email)
        if is_identifying_domain(domain):
            by_domain[domain].append(reviewer.pk)
    reviewer_id_set = set(reviewer_ids)
    members = StartupMember.objects.filter(startup_id__in=startup_ids).values_list(
        "startup_id", "user_id", "user__email"
    )
    for startup_id, user_id, email in members.iterator(chunk_size=5000):
        if user_id in reviewer_id_set:
            pairs[(user_id, startup_id)] = ConflictSource.MEMBER
        for reviewer_id in by_domain.get(email_domain(email), ()):
            pairs.setdefault((reviewer_id, startup_id), ConflictSource.EMAIL_DOMAIN)
    if include_declared:
        declared = ConflictOfInterest.objects.filter(reviewer_id__in=reviewer_ids, startup_id__in=startup_ids)
        for reviewer_id, startup_id, source in declared.values_list("reviewer_id", "startup_id", "source"):
            pairs[(reviewer_id, startup_id)] = source
    return pairs
