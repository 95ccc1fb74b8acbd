"""API-wide behaviour: domain errors become 4xx responses that name the field."""

from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.errors import DomainError


class DomainAPIError(exceptions.APIException):
    def __init__(self, error: DomainError) -> None:
        self.status_code = error.status_code
        super().__init__(detail=error.as_dict(), code=error.code)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DomainError):
        exc = DomainAPIError(exc)
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict):
        response.data = dict(_flat_errors(response.data))
    return response


def _flat_errors(detail: object, path: str = "") -> Iterator[tuple[str, object]]:
    """Nested serializer errors one level deep, keyed by dotted path
    (``{"scores.0.value": [...]}``), the shape of the documented Error body
    and of the parser's errors."""
    if isinstance(detail, dict):
        items = detail.items()
    elif isinstance(detail, list) and not all(isinstance(message, str) for message in detail):
        items = enumerate(detail)
    else:
        yield path, detail
        return
    for key, value in items:
        yield from _flat_errors(value, f"{path}.{key}" if path else str(key))


API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    """Whether ``request`` is the API's: its errors are JSON, never a page."""
    return request.path.startswith(API_PREFIX)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 for a URL nothing matches: JSON under /api/ (an id that is not a
    number, say), so that API clients always get the documented error body."""
    if is_api_request(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's answer to a request it finds suspicious, JSON under /api/. A
    body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is one; there it is a 413."""
    if not is_api_request(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20
        return JsonResponse({"detail": f"The request body is larger than {limit:g} MB."}, status=413)
    return JsonResponse({"detail": "Bad request."}, status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, JSON under /api/."""
    if is_api_request(request):
        return JsonResponse({"detail": "Server error."}, status=500)
    return defaults.server_error(request)


class MethodCheckedMixin:
    """Answer 405 to a method the view does not have before asking who is
    calling: DRF authenticates first, which told anonymous clients 401 for a
    method that exists for nobody."""

    def initial(self, request, *args, **kwargs):
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)
