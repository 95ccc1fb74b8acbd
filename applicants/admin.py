from django.contrib import admin

from applicants.models import Application, ApplicationStatusChange, Attachment, Invitation, Startup, StartupMember


class MemberInline(admin.TabularInline):
    model = StartupMember
    extra = 0
    autocomplete_fields = ["user"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["email", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Startup)
class StartupAdmin(admin.ModelAdmin):
    list_display = ["name", "incorporation_country", "total_funding_usd", "developer_count", "created_at"]
    list_filter = ["incorporation_country"]
    search_fields = ["name", "website", "memberships__user__email"]
    inlines = [MemberInline, InvitationInline]


class StatusChangeInline(admin.TabularInline):
    model = ApplicationStatusChange
    extra = 0
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["question_key", "original_name", "content_type", "size", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["startup", "cohort", "status", "is_flagged", "submitted_at", "updated_at"]
    list_filter = ["cohort__program", "cohort", "status", "is_flagged"]
    search_fields = ["startup__name", "startup__memberships__user__email"]
    list_select_related = ["startup", "cohort", "cohort__program"]
    readonly_fields = ["status", "eligibility", "is_flagged", "submitted_at", "decided_at", "created_at", "updated_at"]
    raw_id_fields = ["startup"]
    inlines = [AttachmentInline, StatusChangeInline]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # The status machine owns status; once created, the pair is fixed too.
        return [*self.readonly_fields, "startup", "cohort"] if obj else self.readonly_fields


@admin.register(ApplicationStatusChange)
class ApplicationStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["application", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["to_status", "application__cohort__program"]
    search_fields = ["application__startup__name", "actor__email", "reason"]
    list_select_related = ["application__startup", "application__cohort", "actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
