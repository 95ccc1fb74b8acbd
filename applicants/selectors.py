import datetime
import re
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from applicants import identity, rules
from applicants.enums import ApplicationStatus
from applicants.models import Application, ApplicationStatusChange, Attachment, Invitation, Startup, StartupMember
from programs.enums import QuestionKind
from programs.models import Program


def startup_list_for_user(*, user: User) -> QuerySet[Startup]:
    """The user's startups with ``member_count`` and the user's own ``my_role``.

    Membership is tested with a subquery: filtering on the join would make the
    count see only the user's own membership."""
    mine = StartupMember.objects.filter(startup=OuterRef("pk"), user=user)
    return (
        Startup.objects.filter(Exists(mine))
        .annotate(member_count=Count("memberships"), my_role=Subquery(mine.values("role")[:1]))
        .order_by("name", "id")
    )


def startup_get_for_member(*, user: User, pk: int) -> Startup:
    """The startup if ``user`` is one of its members, else 404."""
    return get_object_or_404(startup_list_for_user(user=user), pk=pk)


def member_list(*, startup: Startup) -> QuerySet[StartupMember]:
    return startup.memberships.select_related("user").order_by("joined_at")


def application_list_for_user(*, user: User) -> QuerySet[Application]:
    return Application.objects.filter(startup__memberships__user=user).select_related(
        "startup", "cohort", "cohort__program"
    )


def application_get_for_member(*, user: User, pk: int) -> Application:
    """The application if ``user`` belongs to its startup, else 404."""
    return get_object_or_404(application_list_for_user(user=user), pk=pk)


def attachment_get_for_member(*, user: User, pk: int) -> Attachment:
    return get_object_or_404(
        Attachment.objects.filter(application__startup__memberships__user=user).select_related("application"), pk=pk
    )


def member_get(*, user: User, startup: Startup) -> StartupMember | None:
    """The user's membership of the startup, or None."""
    return startup.memberships.filter(user=user).first()


def invitation_list_pending(*, startup: Startup) -> QuerySet[Invitation]:
    return startup.invitations.pending().select_related("invited_by").order_by("created_at")


def invitation_get_pending(*, pk: int) -> Invitation | None:
    return Invitation.objects.pending().filter(pk=pk).first()


def application_list_for_startup(*, startup: Startup) -> QuerySet[Application]:
    return startup.applications.select_related("cohort", "cohort__program")


def application_get_for_form(*, user: User, pk: int) -> Application:
    """The application with its form, files and eligibility rules, if ``user``
    belongs to its startup, else 404."""
    return get_object_or_404(
        application_list_for_user(user=user).prefetch_related(
            "cohort__questions", "attachments", "cohort__program__eligibility_rules"
        ),
        pk=pk,
    )


def member_get_in_startup(*, startup: Startup, pk: int) -> StartupMember:
    return get_object_or_404(member_list(startup=startup), pk=pk)


def invitation_list(*, startup: Startup) -> QuerySet[Invitation]:
    return startup.invitations.order_by("-created_at", "-id")


def invitation_get(*, startup: Startup, pk: int) -> Invitation:
    return get_object_or_404(invitation_list(startup=startup), pk=pk)


def application_history(*, application: Application) -> QuerySet[ApplicationStatusChange]:
    return application.status_changes.select_related("actor").order_by("created_at", "id")


def attachment_get(*, pk: int) -> Attachment:
    """Any attachment with what the permission check needs; the caller checks who may see it."""
    return get_object_or_404(
        Attachment.objects.select_related("application__startup", "application__cohort__program"), pk=pk
    )


def attachment_list(*, application: Application) -> QuerySet[Attachment]:
    return application.attachments.order_by("question_key", "id")


def attachment_get_for_viewer(*, user: User, application_pk: int, pk: int) -> Attachment:
    """The attachment if ``user`` may see its application (its startup's members,
    the program's managers, staff), else 404 so that nobody learns it exists."""
    attachment = (
        Attachment.objects.select_related("application__startup", "application__cohort__program")
        .filter(application_id=application_pk, pk=pk)
        .first()
    )
    if attachment is None or not rules.can_view_application(user, attachment.application):
        raise Http404
    return attachment


def startup_identity_pattern(*, startup: Startup) -> re.Pattern[str] | None:
    """What blind review hides of ``startup``: its name, website and people."""
    people = StartupMember.objects.filter(startup=startup).values_list("user__full_name", "user__email")
    return identity.identity_pattern(identity.identity_terms(startup, people=people))


@dataclass(frozen=True)
class SelfNaming:
    question_key: str
    label: str
    terms: list[str]


# Answers reviewers never read as written: hidden whole in blind review, or a file.
HIDDEN_KINDS = frozenset({QuestionKind.EMAIL, QuestionKind.URL, QuestionKind.FILE})


def application_self_naming(*, application: Application) -> list[SelfNaming]:
    """In a program that reviews blind, the answers that name the startup or its
    people, with the words found (reviewers see them masked). Empty otherwise."""
    if not application.cohort.program.blind_review:
        return []
    pattern = startup_identity_pattern(startup=application.startup)
    found = []
    for question in application.cohort.questions.all():
        answer = application.answers.get(question.key)
        if question.kind in HIDDEN_KINDS or not isinstance(answer, str):
            continue
        terms = identity.named_in(answer, pattern)
        if terms:
            found.append(SelfNaming(question_key=question.key, label=question.label, terms=terms))
    return found


def application_list_submitted_between(
    *, program: Program, since: datetime.datetime, until: datetime.datetime
) -> QuerySet[Application]:
    """The program's applications submitted in [since, until), oldest first,
    with their startup and round; ineligible ones left out."""
    return (
        Application.objects.filter(cohort__program=program, submitted_at__gte=since, submitted_at__lt=until)
        .exclude(status=ApplicationStatus.INELIGIBLE)
        .select_related("startup", "cohort")
        .order_by("submitted_at", "pk")
    )
