from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api.serializers import TokenInputSerializer, TokenOutputSerializer
from common.api import MethodCheckedMixin
from common.api_schema import error_responses
from common.errors import DomainError
from common.parsers import JSONParser
from common.throttling import ScopedRateThrottle


class TokenView(MethodCheckedMixin, APIView):
    """Exchange an e-mail and password for an API token, or revoke it."""

    throttle_scope = "auth"
    parser_classes = [JSONParser]

    def initialize_request(self, request, *args, **kwargs):
        drf_request = super().initialize_request(request, *args, **kwargs)
        if request.method == "POST":
            # Exchanging a password reads no other credential, so a revoked token
            # still sent by a client cannot stop it from getting a new one.
            drf_request.authenticators = ()
        return drf_request

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return super().get_permissions()

    def get_throttles(self):
        # Guessing passwords gets its own, tighter limit on top of the API's.
        if self.request.method == "POST":
            return [*super().get_throttles(), ScopedRateThrottle()]
        return super().get_throttles()

    @extend_schema(
        summary="Obtain an API token",
        request=TokenInputSerializer,
        responses={200: TokenOutputSerializer, **error_responses(400, 401, 403, 415, 429)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token = services.api_token_issue(request=request._request, **serializer.validated_data)
        except DomainError as exc:
            # 401 with a WWW-Authenticate challenge, as for any refused credential.
            raise exceptions.AuthenticationFailed(exc.message) from None
        return Response(TokenOutputSerializer(token).data)

    @extend_schema(
        summary="Revoke my API token",
        request=None,
        responses={204: None, **error_responses(401, 403, 429)},
    )
    def delete(self, request: Request) -> Response:
        services.api_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
