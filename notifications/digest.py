"""The managers' daily digest: a list of sections, each a function returning lines.

A section is a title per language and a function ``(program, since, until)``
returning one line per item; a section with no lines is left out, and a
digest with no sections is not sent. Adding a section (overdue reviews,
offers waiting) is one ``Section`` appended to ``SECTIONS``.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db.models import Count, Q

from applicants.enums import ApplicationStatus
from applicants.models import Application
from notifications.events import DEFAULT_LANGUAGE
from programs.models import Program
from reviews.enums import OfferStatus
from reviews.models import Assignment, Offer

Lines = Callable[[Program, datetime.datetime, datetime.datetime], list[str]]


@dataclass(frozen=True)
class Section:
    titles: Mapping[str, str]
    lines: Lines

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles[DEFAULT_LANGUAGE]


def new_submissions(program: Program, since: datetime.datetime, until: datetime.datetime) -> list[str]:
    applications = (
        Application.objects.filter(cohort__program=program, submitted_at__gte=since, submitted_at__lt=until)
        .exclude(status=ApplicationStatus.INELIGIBLE)
        .select_related("startup", "cohort")
        .order_by("submitted_at", "pk")
    )
    return [
        f"{application.startup.name} ({application.cohort.name})" + (" ⚑" if application.is_flagged else "")
        for application in applications
    ]


def overdue_reviews(program: Program, since: datetime.datetime, until: datetime.datetime) -> list[str]:
    """One line per reviewer with reviews past due, counted."""
    overdue = (
        Assignment.objects.filter(
            application__cohort__program=program,
            application__status=ApplicationStatus.IN_REVIEW,
            due_at__lt=until,
        )
        .filter(Q(review__isnull=True) | Q(review__submitted_at__isnull=True))
        .values("reviewer__email", "reviewer__full_name")
        .annotate(count=Count("pk"))
        .order_by("-count", "reviewer__email")
    )
    return [f"{row['reviewer__full_name'] or row['reviewer__email']}: {row['count']}" for row in overdue]


def offers_waiting(program: Program, since: datetime.datetime, until: datetime.datetime) -> list[str]:
    offers = (
        Offer.objects.filter(application__cohort__program=program, status=OfferStatus.OFFERED)
        .select_related("application__startup")
        .order_by("expires_at", "pk")
    )
    return [f"{offer.application.startup.name} (until {offer.expires_at:%Y-%m-%d})" for offer in offers]


SECTIONS: list[Section] = [
    Section(titles={"en": "New submissions", "fr": "Nouvelles candidatures"}, lines=new_submissions),
    Section(titles={"en": "Overdue reviews", "fr": "Évaluations en retard"}, lines=overdue_reviews),
    Section(titles={"en": "Offers waiting for an answer", "fr": "Offres en attente de réponse"}, lines=offers_waiting),
]


def digest_sections(
    program: Program, *, since: datetime.datetime, until: datetime.datetime
) -> list[tuple[Section, list[str]]]:
    """Each section with something to say, with its lines."""
    found = [(section, section.lines(program, since, until)) for section in SECTIONS]
    return [(section, lines) for section, lines in found if lines]


def summary_text(sections: list[tuple[Section, list[str]]], *, language: str) -> str:
    return "\n\n".join(
        f"{section.title(language)} ({len(lines)})\n" + "\n".join(f"- {line}" for line in lines)
        for section, lines in sections
    )
