from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from applicants.models import Application, Attachment, Startup, StartupMember


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
