"""A program's webhook endpoints and their delivery logs, for its managers."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api_schema import error_responses
from notifications.api import serializers as s
from notifications.selectors import webhook_endpoint_get_managed
from outbox import selectors, services
from outbox.models import OutboxMessage, WebhookEndpoint
from programs.selectors import program_get_managed


class WebhookEndpointListView(generics.GenericAPIView):
    serializer_class = s.WebhookEndpointOutputSerializer
    queryset = WebhookEndpoint.objects.none()
    filter_backends: list = []

    @extend_schema(
        summary="The program's webhook endpoints",
        responses={200: s.WebhookEndpointOutputSerializer(many=True), **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        program = program_get_managed(user=request.user, slug=slug)
        page = self.paginate_queryset(selectors.webhook_endpoint_list(program_id=program.pk))
        return self.get_paginated_response(s.WebhookEndpointOutputSerializer(page, many=True).data)

    @extend_schema(
        summary="Subscribe a URL to the program's events",
        description="The answer holds the endpoint's signing secret, shown this once.",
        request=s.WebhookEndpointInputSerializer,
        responses={201: s.WebhookEndpointWithSecretOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        program = program_get_managed(user=request.user, slug=slug)
        data = s.WebhookEndpointInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint, secret = services.endpoint_create(
            program_id=program.pk,
            url=data.validated_data["url"],
            events=data.validated_data["events"],
            description=data.validated_data["description"],
        )
        if data.validated_data.get("is_active") is False:
            services.endpoint_update(endpoint=endpoint, is_active=False)
        body = s.WebhookEndpointWithSecretOutputSerializer(endpoint).data
        return Response({**body, "secret": secret}, status=status.HTTP_201_CREATED)


class WebhookEndpointDetailView(APIView):
    @extend_schema(
        summary="A webhook endpoint",
        responses={200: s.WebhookEndpointOutputSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, slug: str, pk: int) -> Response:
        return Response(
            s.WebhookEndpointOutputSerializer(webhook_endpoint_get_managed(user=request.user, slug=slug, pk=pk)).data
        )

    @extend_schema(
        summary="Change a webhook endpoint",
        description="Switching an endpoint back on clears its run of failures.",
        request=s.WebhookEndpointInputSerializer(partial=True),
        responses={200: s.WebhookEndpointOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, slug: str, pk: int) -> Response:
        endpoint = webhook_endpoint_get_managed(user=request.user, slug=slug, pk=pk)
        data = s.WebhookEndpointInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        endpoint = services.endpoint_update(endpoint=endpoint, **data.validated_data)
        return Response(s.WebhookEndpointOutputSerializer(endpoint).data)

    @extend_schema(
        summary="Delete a webhook endpoint and its log", responses={204: None, **error_responses(401, 403, 404)}
    )
    def delete(self, request: Request, slug: str, pk: int) -> Response:
        services.endpoint_delete(endpoint=webhook_endpoint_get_managed(user=request.user, slug=slug, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookSecretRotateView(APIView):
    @extend_schema(
        summary="Give the endpoint a new secret",
        description="The old secret keeps signing beside the new one for a grace period, so the receiver can switch.",
        request=None,
        responses={200: s.SecretOutputSerializer, **error_responses(401, 403, 404)},
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        endpoint = webhook_endpoint_get_managed(user=request.user, slug=slug, pk=pk)
        secret = services.endpoint_rotate_secret(endpoint=endpoint)
        return Response({"secret": secret, "previous_secret_expires_at": endpoint.previous_secret_expires_at})


class WebhookDeliveryListView(generics.GenericAPIView):
    serializer_class = s.WebhookDeliveryOutputSerializer
    queryset = OutboxMessage.objects.none()
    filter_backends: list = []

    @extend_schema(
        summary="The endpoint's delivery log, newest first",
        responses={200: s.WebhookDeliveryOutputSerializer(many=True), **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, slug: str, pk: int) -> Response:
        endpoint = webhook_endpoint_get_managed(user=request.user, slug=slug, pk=pk)
        page = self.paginate_queryset(selectors.webhook_delivery_list(endpoint=endpoint))
        return self.get_paginated_response(s.WebhookDeliveryOutputSerializer(page, many=True).data)


class WebhookDeliveryReplayView(APIView):
    @extend_schema(
        summary="Deliver again",
        description="Queues the delivery again with the same webhook-id; one being delivered right now is left alone.",
        request=None,
        responses={202: s.WebhookDeliveryOutputSerializer, **error_responses(401, 403, 404)},
    )
    def post(self, request: Request, slug: str, pk: int, delivery_pk: int) -> Response:
        endpoint = webhook_endpoint_get_managed(user=request.user, slug=slug, pk=pk)
        delivery = endpoint.deliveries.filter(pk=delivery_pk).first()
        if delivery is None:
            raise Http404
        services.deliveries_replay(endpoint=endpoint, ids=[delivery.pk])
        delivery.refresh_from_db()
        return Response(s.WebhookDeliveryOutputSerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
