import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from applicants.enums import ApplicationStatus
from applicants.models import Application


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ApplicationStatus.choices, help_text="Repeat to combine.")
    round = IdFilter(field_name="cohort_id", help_text="A round's id.")
    startup = IdFilter(field_name="startup_id", help_text="One of your startups' id.")

    class Meta:
        model = Application
        fields = ["status", "round", "startup"]
