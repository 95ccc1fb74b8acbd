"""Who may see and change what a startup owns. Default deny."""

from accounts.models import User
from applicants.enums import MemberRole
from applicants.models import Application, Startup, StartupMember
from programs.rules import is_program_manager


def is_startup_member(user: User, startup: Startup) -> bool:
    return user.is_authenticated and startup.memberships.filter(user=user).exists()


def is_startup_owner(user: User, startup: Startup) -> bool:
    return user.is_authenticated and startup.memberships.filter(user=user, role=MemberRole.OWNER).exists()


def can_view_application(user: User, application: Application) -> bool:
    """Members of the startup, the program's managers and staff."""
    if not user.is_authenticated:
        return False
    return (
        user.is_staff
        or is_startup_member(user, application.startup)
        or is_program_manager(user, application.cohort.program)
    )


def can_edit_application(user: User, application: Application) -> bool:
    return is_startup_member(user, application.startup)


def can_remove_member(user: User, member: StartupMember) -> bool:
    """Owners remove anyone; any member may leave."""
    return user.is_authenticated and (member.user_id == user.pk or is_startup_owner(user, member.startup))
