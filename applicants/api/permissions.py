"""DRF wrappers around ``applicants.rules``: the same predicates as the pages."""

from rest_framework.permissions import BasePermission

from applicants import rules
from applicants.models import Startup, StartupMember


class IsStartupOwner(BasePermission):
    """On a startup: only its owners. Callers fetch the startup through a
    member-only selector first, so a stranger gets 404 before reaching this."""

    message = "Only the startup's owners may do this."

    def has_object_permission(self, request, view, obj: Startup) -> bool:
        return rules.is_startup_owner(request.user, obj)


class CanRemoveMember(BasePermission):
    message = "Only the startup's owners may remove someone else."

    def has_object_permission(self, request, view, obj: StartupMember) -> bool:
        return rules.can_remove_member(request.user, obj)
