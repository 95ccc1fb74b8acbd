"""What the main menu shows a user, remembered in the session at log-in so
that no page pays a query for it.

Each app adds its own flags with ``register_menu_flags`` (in its
``AppConfig.ready``), so one session entry and one context processor serve the
whole menu without the floor knowing any app.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

SESSION_KEY = "menu"
# Takes the project's user model, which the floor does not import.
MenuFlags = Callable[[Any], dict[str, bool]]

MENU_FLAGS: list[MenuFlags] = []


def register_menu_flags(flags: MenuFlags) -> None:
    if flags not in MENU_FLAGS:
        MENU_FLAGS.append(flags)


def remember_menu(session: SessionBase, user: Any) -> None:
    """Store the user's menu flags; a page that may have changed them calls it again."""
    flags: dict[str, bool] = {}
    for contribute in MENU_FLAGS:
        flags.update(contribute(user))
    if session.get(SESSION_KEY) != flags:
        session[SESSION_KEY] = flags


def remember_menu_at_login(sender: type, request: HttpRequest | None, user: Any, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        remember_menu(request.session, user)


def menu(request: HttpRequest) -> dict[str, dict[str, bool]]:
    """Template context: ``menu.reviewer``, ``menu.manager`` and the flags other apps add."""
    session = getattr(request, "session", None)
    flags = session.get(SESSION_KEY, {}) if session is not None and request.user.is_authenticated else {}
    return {"menu": flags}
