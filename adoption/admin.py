from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString

from adoption import rules, services
from adoption.models import (
    AIModel,
    ApiKey,
    CheckIn,
    Deployment,
    DeploymentStageChange,
    Disbursement,
    DisbursementStatusChange,
    Milestone,
    UsageMonthly,
    UsageRecord,
)
from common.admin import ServiceOwnedAdmin, ViewOnlyAdmin, ViewOnlyInline, pretty_json
from common.errors import DomainError


@admin.register(AIModel)
class AIModelAdmin(admin.ModelAdmin):
    list_display = ["name", "family", "size", "modality", "slug", "is_active", "order"]
    list_editable = ["is_active", "order"]
    list_filter = ["family", "modality", "is_active"]
    search_fields = ["name", "slug", "family"]


class StageChangeInline(ViewOnlyInline):
    model = DeploymentStageChange
    fields = ["created_at", "from_stage", "to_stage", "actor"]
    readonly_fields = fields


@admin.register(Deployment)
class DeploymentAdmin(ServiceOwnedAdmin):
    list_display = ["startup", "model", "environment", "stage", "started_on", "production_since"]
    list_filter = ["stage", "environment", "model"]
    search_fields = ["startup__name", "use_case", "cloud_provider"]
    list_select_related = ["startup", "model"]
    raw_id_fields = ["startup", "created_by"]
    readonly_fields = ["stage", "production_since", "ended_on", "created_at", "updated_at"]
    inlines = [StageChangeInline]


@admin.register(ApiKey)
class ApiKeyAdmin(ServiceOwnedAdmin):
    """A key is shown once to the startup that creates it, in the portal, and
    revoked rather than deleted, so that its use stays on record."""

    list_display = ["name", "startup", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "startup__name"]
    list_select_related = ["startup"]
    fields = ["startup", "name", "prefix", "created_by", "created_at", "last_used_at", "revoked_at", "revoked_by"]
    readonly_fields = ["startup", "prefix", "created_by", "created_at", "last_used_at", "revoked_at", "revoked_by"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for api_key in queryset:
            services.api_key_revoke(api_key=api_key, user=request.user)
        self.message_user(request, f"{queryset.count()} key(s) revoked.", messages.SUCCESS)


@admin.register(UsageRecord)
class UsageRecordAdmin(ViewOnlyAdmin):
    """Written by the ingest (API, CSV, command), which rolls them up by month."""

    list_display = ["startup", "model", "date", "requests", "input_tokens", "output_tokens", "updated_at"]
    list_filter = ["model", "date"]
    search_fields = ["startup__name"]
    list_select_related = ["startup", "model"]
    raw_id_fields = ["startup"]
    date_hierarchy = "date"
    show_full_result_count = False


@admin.register(UsageMonthly)
class UsageMonthlyAdmin(ViewOnlyAdmin):
    """Roll-ups of the usage records, rebuilt by ``rebuild_rollups``."""

    list_display = ["startup", "model", "month", "requests", "input_tokens", "output_tokens", "days_reported"]
    list_filter = ["model", "month"]
    search_fields = ["startup__name"]
    list_select_related = ["startup", "model"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "startup", "due_on", "achieved_on"]
    list_filter = [("achieved_on", admin.EmptyFieldListFilter)]
    search_fields = ["title", "startup__name"]
    list_select_related = ["startup"]
    raw_id_fields = ["startup", "created_by"]


@admin.register(CheckIn)
class CheckInAdmin(ViewOnlyAdmin):
    """Scheduled when an offer is taken up and filed by the startup."""

    list_display = ["startup", "month", "due_on", "submitted_at", "reminded_at"]
    list_filter = ["month", ("submitted_at", admin.EmptyFieldListFilter)]
    search_fields = ["startup__name", "progress", "blockers"]
    list_select_related = ["startup"]
    fields = [
        "startup",
        "application",
        "month",
        "due_on",
        "progress",
        "blockers",
        "metrics_json",
        "submitted_at",
        "submitted_by",
        "reminded_at",
    ]
    readonly_fields = fields

    @admin.display(description="Metrics")
    def metrics_json(self, obj: CheckIn) -> SafeString:
        return pretty_json(obj.metrics)


class DisbursementStatusChangeInline(ViewOnlyInline):
    model = DisbursementStatusChange
    fields = ["created_at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields


@admin.register(Disbursement)
class DisbursementAdmin(ViewOnlyAdmin):
    """Schedules come from accepted offers; "Approve" and "Mark paid" move a
    payment on through the services, with their checks and history."""

    list_display = ["startup", "program", "month", "amount", "currency", "status", "approved_at", "paid_at"]
    list_filter = ["status", "program", "month"]
    search_fields = ["startup__name"]
    list_select_related = ["startup", "program"]
    fields = [
        "startup",
        "application",
        "program",
        "benefit",
        "sequence",
        "month",
        "due_on",
        "amount",
        "currency",
        "status",
        "approved_at",
        "approved_by",
        "paid_at",
        "paid_by",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [DisbursementStatusChangeInline]
    actions = ["approve", "mark_paid"]

    def _apply(self, request: HttpRequest, queryset: QuerySet[Disbursement], do, verb: str) -> None:
        done = 0
        for disbursement in queryset.select_related("program", "startup"):
            if not rules.can_manage_disbursement(request.user, disbursement):
                self.message_user(request, f"{disbursement}: not a program you manage.", messages.ERROR)
                continue
            try:
                do(disbursement=disbursement, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{disbursement}: {error.message}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, f"{done} payment(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Approve the selected payments")
    def approve(self, request: HttpRequest, queryset: QuerySet[Disbursement]) -> None:
        self._apply(request, queryset, services.disbursement_approve, "approved")

    @admin.action(description="Mark the selected payments paid")
    def mark_paid(self, request: HttpRequest, queryset: QuerySet[Disbursement]) -> None:
        self._apply(request, queryset, services.disbursement_mark_paid, "marked paid")
