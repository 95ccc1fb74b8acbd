"""What every app's admin shares. The admin changes state only through the
services: rows that a service creates, moves through a state machine or
rolls up are never added or deleted by hand, and where they may change, an
admin action calls the service."""

import json

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString


def pretty_json(value: object) -> SafeString:
    """JSON as people read it: indented, keys sorted, shown as text."""
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    return format_html('<pre style="white-space: pre-wrap; margin: 0">{}</pre>', text)


class ServiceOwnedAdmin(admin.ModelAdmin):
    """Rows only the services create and remove: no add page, no delete page,
    no "Delete selected" action."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ViewOnlyAdmin(ServiceOwnedAdmin):
    """Rows the services write and nobody edits (histories, decisions, records
    and their roll-ups): shown, and changed, if at all, by actions."""

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ViewOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
