from django.contrib import admin
from django.http import HttpRequest
from django.utils.safestring import SafeString

from applicants.models import Application, ApplicationStatusChange, Attachment, Invitation, Startup, StartupMember
from common.admin import ViewOnlyAdmin, ViewOnlyInline, pretty_json


class MemberInline(admin.TabularInline):
    model = StartupMember
    extra = 0
    autocomplete_fields = ["user"]


class InvitationInline(ViewOnlyInline):
    model = Invitation
    fields = ["email", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    readonly_fields = fields


@admin.register(Startup)
class StartupAdmin(admin.ModelAdmin):
    list_display = ["name", "incorporation_country", "total_funding_usd", "developer_count", "created_at"]
    list_filter = ["incorporation_country"]
    search_fields = ["name", "website", "memberships__user__email"]
    inlines = [MemberInline, InvitationInline]

    def has_delete_permission(self, request: HttpRequest, obj: Startup | None = None) -> bool:
        # It would take its applications, their history, decisions and payments with it.
        return False


class StatusChangeInline(ViewOnlyInline):
    model = ApplicationStatusChange
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields


class AttachmentInline(ViewOnlyInline):
    model = Attachment
    fields = ["question_key", "original_name", "content_type", "size", "created_at"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ViewOnlyAdmin):
    """Applications are started, answered and moved on by their startups and
    managers through the services; here they are read."""

    list_display = ["startup", "cohort", "status", "is_flagged", "submitted_at", "updated_at"]
    list_filter = ["cohort__program", "cohort", "status", "is_flagged"]
    search_fields = ["startup__name", "startup__memberships__user__email"]
    list_select_related = ["startup", "cohort", "cohort__program"]
    fields = [
        "startup",
        "cohort",
        "status",
        "answers_json",
        "eligibility_json",
        "is_flagged",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "decided_at",
    ]
    readonly_fields = fields
    inlines = [AttachmentInline, StatusChangeInline]

    @admin.display(description="Answers")
    def answers_json(self, obj: Application) -> SafeString:
        return pretty_json(obj.answers)

    @admin.display(description="Eligibility at submission")
    def eligibility_json(self, obj: Application) -> SafeString:
        return pretty_json(obj.eligibility)


@admin.register(ApplicationStatusChange)
class ApplicationStatusChangeAdmin(ViewOnlyAdmin):
    list_display = ["application", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["to_status", "application__cohort__program"]
    search_fields = ["application__startup__name", "actor__email", "reason"]
    list_select_related = ["application__startup", "application__cohort", "actor"]
