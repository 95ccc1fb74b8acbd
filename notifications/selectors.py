"""Reads for templates and the managers that digests go to."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from notifications import events
from notifications.models import EmailTemplate
from programs.enums import ProgramRole
from programs.models import Program, ProgramMembership
from programs.rules import is_program_manager


def template_texts(*, event: str, program: Program | None, languages: Iterable[str]) -> dict[str, tuple[str, str]]:
    """The ``(subject, body)`` each of ``languages`` reads for ``event``, in one query.

    In order: the program's override in that language, the default in that
    language, the program's English override, the English default, and last
    the text shipped in code — so an event always has something to send.
    """
    languages = set(languages)
    wanted = languages | {events.DEFAULT_LANGUAGE}
    scope = Q(program__isnull=True) | Q(program=program) if program is not None else Q(program__isnull=True)
    found = {
        (template.language, template.program_id is not None): (template.subject, template.body)
        for template in EmailTemplate.objects.filter(scope, event=event, language__in=wanted)
    }
    shipped = events.get(event).defaults
    texts = {}
    for language in languages:
        candidates = [
            found.get((language, True)),
            found.get((language, False)),
            found.get((events.DEFAULT_LANGUAGE, True)),
            found.get((events.DEFAULT_LANGUAGE, False)),
            shipped.get(language),
            shipped[events.DEFAULT_LANGUAGE],
        ]
        texts[language] = next(text for text in candidates if text is not None)
    return texts


def program_managers(*, program: Program) -> QuerySet[ProgramMembership]:
    return (
        ProgramMembership.objects.filter(program=program, role=ProgramRole.MANAGER, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    )


def programs_with_managers() -> QuerySet[Program]:
    return Program.objects.filter(memberships__role=ProgramRole.MANAGER).distinct().order_by("pk")


def program_get_for_manager(*, user: object, slug: str) -> Program | None:
    """The program named ``slug`` if ``user`` manages it, else None (the
    caller answers 404: a program one does not manage is not shown to exist)."""
    program = Program.objects.filter(slug=slug).first()
    if program is None or not is_program_manager(user, program):  # type: ignore[arg-type]
        return None
    return program
