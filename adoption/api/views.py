import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from adoption import selectors, services
from adoption.api.authentication import ApiKeyAuthentication, HasStartupApiKey
from adoption.api.serializers import (
    DeploymentOutputSerializer,
    UsageBatchInputSerializer,
    UsageIngestOutputSerializer,
    UsageRecordOutputSerializer,
)
from adoption.models import UsageRecord
from common.api_schema import ErrorSerializer
from common.parsers import JSONParser

DETAIL = inline_serializer("Detail", fields={"detail": serializers.CharField()})
FIELD_ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description="The named field is invalid.")


class UsagePagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class UsageFilter(django_filters.FilterSet):
    model = django_filters.CharFilter(field_name="model__slug", help_text="A model's slug.")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", help_text="From this day on.")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", help_text="Up to this day.")

    class Meta:
        model = UsageRecord
        fields = ["model", "date_from", "date_to"]


def wants_atomic(request: Request) -> bool:
    return request.query_params.get("atomic", "").lower() in {"1", "true", "yes"}


class UsageView(generics.ListAPIView):
    """A startup's daily usage, written and read with one of its API keys
    (``Authorization: Api-Key <key>``); no other credential reaches it."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasStartupApiKey]
    parser_classes = [JSONParser]
    serializer_class = UsageRecordOutputSerializer
    pagination_class = UsagePagination
    filterset_class = UsageFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UsageRecord.objects.none()
        return selectors.usage_list(startup=self.request.auth.startup)

    @extend_schema(
        summary="List the key's startup's usage",
        responses={200: UsageRecordOutputSerializer(many=True), 400: FIELD_ERRORS, 401: DETAIL, 403: DETAIL},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Report usage: up to 10,000 daily records per batch",
        description=(
            "Upserts one row per (model, day): sending the same batch again changes nothing, later values "
            "replace earlier ones. Bad records (unknown model, future date, negative or missing numbers) are "
            "listed with their index and reason while the good ones are stored; with `?atomic=true` any bad "
            "record stores nothing and answers 400 with the list."
        ),
        parameters=[OpenApiParameter("atomic", OpenApiTypes.BOOL, description="All or nothing.")],
        request=UsageBatchInputSerializer,
        responses={
            200: UsageIngestOutputSerializer,
            400: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="UsageRejection",
                    serializers=[UsageIngestOutputSerializer, ErrorSerializer],
                    resource_type_field_name=None,
                ),
                description=(
                    "An atomic batch had bad records (the report, as for 200), or the body is no batch at all "
                    "(an error naming the value, e.g. JSON nested too deep)."
                ),
            ),
            401: DETAIL,
            403: DETAIL,
        },
    )
    def post(self, request: Request) -> Response:
        data = request.data
        records = data.get("records") if isinstance(data, dict) else data
        result = services.usage_ingest(startup=request.auth.startup, records=records, atomic=wants_atomic(request))
        failed = result.atomic and bool(result.errors)
        return Response(result.as_dict(), status=status.HTTP_400_BAD_REQUEST if failed else status.HTTP_200_OK)


class DeploymentListView(generics.ListAPIView):
    """Deployments of the signed-in user's accepted startups (session or token; not API keys)."""

    serializer_class = DeploymentOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.Deployment.objects.none()
        return selectors.deployment_list_for_user(user=self.request.user)

    @extend_schema(responses={200: DeploymentOutputSerializer(many=True), 401: DETAIL, 403: DETAIL, 404: DETAIL})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
