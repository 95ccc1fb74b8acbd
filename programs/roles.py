"""What the main menu shows a user, remembered in the session at log-in so
that no page pays a query for it.

Programs contributes the program roles; apps built on it add their own flags
with ``register_menu_flags`` (in their ``AppConfig.ready``), so one session
entry and one context processor serve the whole menu.
"""

from collections.abc import Callable

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from accounts.models import User
from programs.enums import ProgramRole
from programs.models import ProgramMembership

SESSION_KEY = "menu"
MenuFlags = Callable[[User], dict[str, bool]]


def program_roles_of(user: User) -> dict[str, bool]:
    roles = set(ProgramMembership.objects.filter(user=user).values_list("role", flat=True).distinct())
    return {
        "reviewer": ProgramRole.REVIEWER in roles,
        "manager": user.is_staff or ProgramRole.MANAGER in roles,
    }


MENU_FLAGS: list[MenuFlags] = [program_roles_of]


def register_menu_flags(flags: MenuFlags) -> None:
    if flags not in MENU_FLAGS:
        MENU_FLAGS.append(flags)


def remember_menu(session: SessionBase, user: User) -> None:
    """Store the user's menu flags; a page that may have changed them calls it again."""
    flags: dict[str, bool] = {}
    for contribute in MENU_FLAGS:
        flags.update(contribute(user))
    if session.get(SESSION_KEY) != flags:
        session[SESSION_KEY] = flags


def remember_menu_at_login(sender: type, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        remember_menu(request.session, user)


def menu(request: HttpRequest) -> dict[str, dict[str, bool]]:
    """Template context: ``menu.reviewer``, ``menu.manager`` and the flags other apps add."""
    session = getattr(request, "session", None)
    flags = session.get(SESSION_KEY, {}) if session is not None and request.user.is_authenticated else {}
    return {"menu": flags}
