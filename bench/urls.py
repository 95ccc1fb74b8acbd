from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def bare_json(request: HttpRequest) -> JsonResponse:
    """The floor: Django answering JSON with no database, no auth, no serializer."""
    return JsonResponse({"status": "ok", "items": list(range(10))})


urlpatterns = [
    path("bench/bare/", bare_json),
    path("", include("config.urls")),
]
