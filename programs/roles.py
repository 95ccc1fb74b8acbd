"""The program roles the navigation shows, remembered in the session at log-in
so that no page pays a query for them."""

from django.http import HttpRequest

from accounts.models import User
from programs.enums import ProgramRole
from programs.models import ProgramMembership

SESSION_KEY = "programs:roles"


def program_roles_of(user: User) -> dict[str, bool]:
    roles = set(ProgramMembership.objects.filter(user=user).values_list("role", flat=True).distinct())
    return {
        "reviewer": ProgramRole.REVIEWER in roles,
        "manager": user.is_staff or ProgramRole.MANAGER in roles,
    }


def remember_program_roles(sender: type, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = program_roles_of(user)


def program_roles(request: HttpRequest) -> dict[str, dict[str, bool]]:
    """Template context: ``program_roles.reviewer`` and ``program_roles.manager``."""
    session = getattr(request, "session", None)
    roles = session.get(SESSION_KEY, {}) if session is not None and request.user.is_authenticated else {}
    return {"program_roles": roles}
