"""Public, read-only: what programs exist, which rounds are open and what they ask."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from common.api_schema import error_responses
from programs import selectors
from programs.api.serializers import (
    ProgramDetailOutputSerializer,
    ProgramListOutputSerializer,
    RoundDetailOutputSerializer,
    RoundListOutputSerializer,
)
from programs.models import Cohort


class PublicReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    # Nobody needs to be known to read these, so no credential is even looked at.
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]


@extend_schema_view(
    list=extend_schema(
        summary="Published programs",
        responses={200: ProgramListOutputSerializer(many=True), **error_responses(404, 429)},
    ),
    retrieve=extend_schema(
        summary="A program, its benefits and who is eligible",
        responses={200: ProgramDetailOutputSerializer, **error_responses(404, 429)},
    ),
)
class ProgramViewSet(PublicReadOnlyViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return selectors.program_list_published().order_by("name", "id")

    def get_object(self):
        return selectors.program_get_published(slug=self.kwargs["slug"])

    def get_serializer_class(self):
        return ProgramDetailOutputSerializer if self.action == "retrieve" else ProgramListOutputSerializer


class RoundFilter(django_filters.FilterSet):
    program = django_filters.CharFilter(field_name="program__slug", help_text="A program's slug.")

    class Meta:
        model = Cohort
        fields = ["program"]


@extend_schema_view(
    list=extend_schema(
        summary="Rounds open for applications now",
        responses={200: RoundListOutputSerializer(many=True), **error_responses(400, 404, 429)},
    ),
    retrieve=extend_schema(
        summary="An open round and its application form",
        responses={200: RoundDetailOutputSerializer, **error_responses(404, 429)},
    ),
)
class RoundViewSet(PublicReadOnlyViewSet):
    filterset_class = RoundFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.cohort_list_open().order_by("closes_at", "id")

    def get_object(self):
        return selectors.cohort_get_open(pk=self.kwargs["pk"])

    def get_serializer_class(self):
        return RoundDetailOutputSerializer if self.action == "retrieve" else RoundListOutputSerializer
