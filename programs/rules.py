"""Who holds which role in a program. Default deny; staff count as managers."""

from django.db.models import QuerySet

from accounts.models import User
from programs.enums import ProgramRole
from programs.models import Program, ProgramMembership


def has_program_role(user: User, program: Program, role: str) -> bool:
    if not user.is_authenticated:
        return False
    return ProgramMembership.objects.filter(user=user, program=program, role=role).exists()


def is_program_manager(user: User, program: Program) -> bool:
    return user.is_authenticated and (user.is_staff or has_program_role(user, program, ProgramRole.MANAGER))


def is_program_reviewer(user: User, program: Program) -> bool:
    return has_program_role(user, program, ProgramRole.REVIEWER)


def programs_managed_by(user: User) -> QuerySet[Program]:
    if not user.is_authenticated:
        return Program.objects.none()
    if user.is_staff:
        return Program.objects.all()
    return Program.objects.filter(memberships__user=user, memberships__role=ProgramRole.MANAGER).distinct()


def menu_flags(user: User) -> dict[str, bool]:
    """``reviewer`` and ``manager``: which program pages the menu offers (one query)."""
    roles = set(ProgramMembership.objects.filter(user=user).values_list("role", flat=True).distinct())
    return {
        "reviewer": ProgramRole.REVIEWER in roles,
        "manager": user.is_staff or ProgramRole.MANAGER in roles,
    }
