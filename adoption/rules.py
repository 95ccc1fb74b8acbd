"""Who may see and change adoption data. Default deny.

A startup's adoption pages and API are open to its members once one of its
applications is accepted; a program's dashboard and payments to its managers.
"""

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Exists, OuterRef

from accounts.models import User
from adoption.models import Disbursement
from applicants.enums import ApplicationStatus
from applicants.models import Application, Startup, StartupMember
from programs.models import Program
from programs.rules import is_program_manager, programs_managed_by

NAV_SESSION_KEY = "adoption_nav"


def is_accepted_startup(startup: Startup) -> bool:
    return Application.objects.filter(startup=startup, status=ApplicationStatus.ACCEPTED).exists()


def can_use_adoption(user: User, startup: Startup) -> bool:
    return (
        user.is_authenticated
        and StartupMember.objects.filter(startup=startup, user=user).exists()
        and is_accepted_startup(startup)
    )


def can_manage_adoption(user: User, program: Program) -> bool:
    return is_program_manager(user, program)


def can_manage_disbursement(user: User, disbursement: Disbursement) -> bool:
    return is_program_manager(user, disbursement.program)


def nav_flags(user: User) -> dict[str, bool]:
    """Which adoption links the user's nav shows, in one query."""
    if not user.is_authenticated:
        return {"startup": False, "manager": False}
    accepted = Application.objects.filter(startup_id=OuterRef("startup_id"), status=ApplicationStatus.ACCEPTED)
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            has_startup=Exists(StartupMember.objects.filter(user_id=OuterRef("pk")).filter(Exists(accepted))),
        )
        .values("has_startup")
        .first()
    )
    return {
        "startup": bool(row and row["has_startup"]),
        "manager": user.is_staff or programs_managed_by(user).exists(),
    }


def remember_nav(session: SessionBase, user: User) -> None:
    """Keep the nav flags in the session, so that base.html shows the links
    without a query on every page. Refreshed at login and on adoption pages."""
    flags = nav_flags(user)
    if session.get(NAV_SESSION_KEY) != flags:
        session[NAV_SESSION_KEY] = flags
