"""The managers' daily digest: a list of sections, each a function returning lines.

A section is a title per language and a function ``(program, since, until)``
returning one line per item; a section with no lines is left out, and a
digest with no sections is not sent. Adding a section (overdue reviews,
offers waiting) is one ``Section`` appended to ``SECTIONS``.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from applicants.selectors import application_list_submitted_between
from notifications.events import DEFAULT_LANGUAGE
from programs.models import Program
from reviews.selectors import offer_list_waiting, overdue_review_counts

Lines = Callable[[Program, datetime.datetime, datetime.datetime], list[str]]


@dataclass(frozen=True)
class Section:
    titles: Mapping[str, str]
    lines: Lines

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles[DEFAULT_LANGUAGE]


def new_submissions(program: Program, since: datetime.datetime, until: datetime.datetime) -> list[str]:
    applications = application_list_submitted_between(program=program, since=since, until=until)
    return [
        f"{application.startup.name} ({application.cohort.name})" + (" ⚑" if application.is_flagged else "")
        for application in applications
    ]


def overdue_reviews(program: Program, since: datetime.datetime, until: datetime.datetime) -> list[str]:
    """One line per reviewer with reviews past due, counted."""
    return [f"{name}: {count}" for name, count in overdue_review_counts(program=program, until=until)]


def offers_waiting(program: Program, since: datetime.datetime, until: datetime.datetime) -> list[str]:
    return [
        f"{offer.application.startup.name} (until {offer.expires_at:%Y-%m-%d})"
        for offer in offer_list_waiting(program=program)
    ]


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
