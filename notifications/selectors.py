"""Reads for templates and the managers that digests go to."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from notifications import events
from notifications.models import EmailTemplate
from outbox.models import WebhookEndpoint
from programs.enums import ProgramRole
from programs.models import Program, ProgramMembership
from programs.rules import programs_managed_by


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


def webhook_endpoint_get_managed(*, user: User, slug: str, pk: int) -> WebhookEndpoint:
    """The endpoint ``pk`` of the program ``slug``, with its program, if ``user``
    manages that program, else 404."""
    return get_object_or_404(
        WebhookEndpoint.objects.select_related("program"),
        program__in=programs_managed_by(user),
        program__slug=slug,
        pk=pk,
    )
