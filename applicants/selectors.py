from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from applicants.models import Application, ApplicationStatusChange, Attachment, Invitation, Startup, StartupMember


def startup_list_for_user(*, user: User) -> QuerySet[Startup]:
    return Startup.objects.filter(memberships__user=user).annotate(member_count=Count("memberships", distinct=True))


def startup_get_for_member(*, user: User, pk: int) -> Startup:
    """The startup if ``user`` is one of its members, else 404."""
    return get_object_or_404(Startup.objects.filter(memberships__user=user), pk=pk)


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


def application_history(*, application: Application) -> QuerySet[ApplicationStatusChange]:
    return application.status_changes.select_related("actor").order_by("created_at", "id")


def attachment_get(*, pk: int) -> Attachment:
    """Any attachment with what the permission check needs; the caller checks who may see it."""
    return get_object_or_404(
        Attachment.objects.select_related("application__startup", "application__cohort__program"), pk=pk
    )
