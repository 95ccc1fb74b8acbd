"""Who may see and change adoption data. Default deny.

A startup's adoption pages and API are open to its members once one of its
applications is accepted; a program's dashboard and payments to its managers.
"""

from django.db.models import Exists, OuterRef

from accounts.models import User
from adoption.models import Disbursement
from applicants.enums import ApplicationStatus
from applicants.models import Application, Startup, StartupMember
from programs.models import Program
from programs.rules import is_program_manager


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


def menu_flags(user: User) -> dict[str, bool]:
    """``adopter``: a member of an accepted startup, who gets the adoption pages (one query)."""
    if not user.is_authenticated:
        return {"adopter": False}
    accepted = Application.objects.filter(startup_id=OuterRef("startup_id"), status=ApplicationStatus.ACCEPTED)
    adopter = StartupMember.objects.filter(user=user).filter(Exists(accepted)).exists()
    return {"adopter": adopter}
