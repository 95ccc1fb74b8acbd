from django.contrib import admin

from programs.models import Benefit, Cohort, Criterion, EligibilityRule, Program, ProgramMembership, Question


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0
    fields = ["name", "slug", "opens_at", "closes_at", "decision_date", "capacity"]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True


class EligibilityRuleInline(admin.TabularInline):
    model = EligibilityRule
    extra = 0
    fields = ["order", "field", "operator", "value", "severity", "failure_message"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "name", "weight", "scale_min", "scale_max", "guidance"]


class BenefitInline(admin.TabularInline):
    model = Benefit
    extra = 0
    fields = ["order", "name", "kind", "amount", "currency", "months", "description"]


class MembershipInline(admin.TabularInline):
    model = ProgramMembership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_published", "reviewers_per_application", "blind_review", "created_at"]
    list_filter = ["is_published", "blind_review"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CohortInline, EligibilityRuleInline, CriterionInline, BenefitInline, MembershipInline]


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = [
        ("order", "key", "kind", "required"),
        "label",
        "help_text",
        "choices",
        ("max_length", "min_value", "max_value"),
    ]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "opens_at", "closes_at", "decision_date", "capacity"]
    list_filter = ["program"]
    search_fields = ["name", "program__name"]
    list_select_related = ["program"]
    date_hierarchy = "opens_at"
    inlines = [QuestionInline]


@admin.register(ProgramMembership)
class ProgramMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "role", "created_at"]
    list_filter = ["program", "role"]
    search_fields = ["user__email", "user__full_name", "program__name"]
    list_select_related = ["user", "program"]
    autocomplete_fields = ["user"]
