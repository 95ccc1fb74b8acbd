"""What a locked-out log-in is told, through the portal or the API (django-axes'
``AXES_LOCKOUT_CALLABLE``)."""

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from common.api import is_api_request


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """429 Too Many Requests with ``Retry-After``: the API's JSON error under
    ``/api/``, the page elsewhere. Every attempt while locked out starts the
    cool-off again (django-axes' default, AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT),
    so the whole cool-off is the wait; AXES_COOLOFF_TIME must be set."""
    seconds = int(get_cool_off(request).total_seconds())
    minutes = max(1, round(seconds / 60))
    if is_api_request(request):
        detail = f"Too many failed log-ins: try again in {minutes} minutes, or reset your password."
        response: HttpResponse = JsonResponse({"detail": detail}, status=429)
    else:
        response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(seconds)
    return response
