from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from common.admin import ServiceOwnedAdmin, ViewOnlyAdmin, ViewOnlyInline
from common.errors import DomainError
from reviews.models import Assignment, ConflictOfInterest, Decision, Offer, Review, Score
from reviews.services.assignment import assignment_delete


@admin.register(Assignment)
class AssignmentAdmin(ServiceOwnedAdmin):
    """Assignments come from the assignment run or a manager; "Unassign" removes
    one through the service, which keeps a submitted review. Only the due date
    is edited here."""

    list_display = ["application", "reviewer", "stage", "source", "due_at", "last_reminded_at", "created_at"]
    list_filter = ["application__cohort__program", "application__cohort", "stage", "source"]
    search_fields = ["reviewer__email", "application__startup__name"]
    list_select_related = ["application__startup", "application__cohort__program", "reviewer"]
    fields = ["application", "reviewer", "stage", "source", "assigned_by", "due_at", "last_reminded_at", "created_at"]
    readonly_fields = ["application", "reviewer", "stage", "source", "assigned_by", "last_reminded_at", "created_at"]
    date_hierarchy = "due_at"
    actions = ["unassign"]

    @admin.action(description="Unassign (keeps submitted reviews)")
    def unassign(self, request: HttpRequest, queryset: QuerySet[Assignment]) -> None:
        for assignment in queryset:
            try:
                assignment_delete(assignment=assignment, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{assignment}: {error.message}", messages.WARNING)


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "startup", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["reviewer__email", "startup__name", "reason"]
    list_select_related = ["reviewer", "startup"]
    raw_id_fields = ["reviewer", "startup"]


class ScoreInline(ViewOnlyInline):
    model = Score
    fields = ["criterion", "value", "scale_min", "scale_max"]
    readonly_fields = fields


@admin.register(Review)
class ReviewAdmin(ViewOnlyAdmin):
    list_display = ["assignment", "recommendation", "weighted_score", "submitted_at", "updated_at"]
    list_filter = ["recommendation", "assignment__application__cohort", ("submitted_at", admin.EmptyFieldListFilter)]
    search_fields = ["assignment__reviewer__email", "assignment__application__startup__name", "comment"]
    list_select_related = ["assignment__reviewer", "assignment__application__startup"]
    inlines = [ScoreInline]


@admin.register(Decision)
class DecisionAdmin(ViewOnlyAdmin):
    list_display = ["application", "kind", "from_status", "actor", "created_at"]
    list_filter = ["kind", "application__cohort__program", "application__cohort"]
    search_fields = ["application__startup__name", "actor__email", "reason"]
    list_select_related = ["application__startup", "application__cohort", "actor"]
    date_hierarchy = "created_at"


@admin.register(Offer)
class OfferAdmin(ViewOnlyAdmin):
    """Offers come from accepting an application and move on when the startup
    answers or the offer runs out, all through the services."""

    list_display = ["application", "status", "expires_at", "responded_at", "responded_by", "created_at"]
    list_filter = ["status", "application__cohort__program", "application__cohort"]
    search_fields = ["application__startup__name", "responded_by__email"]
    list_select_related = ["application__startup", "application__cohort", "responded_by"]
    fields = [
        "application",
        "status",
        "expires_at",
        "expiry_warned_at",
        "responded_at",
        "responded_by",
        "response_reason",
        "created_at",
    ]
    readonly_fields = fields
