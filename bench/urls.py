from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from bench import floors


def bare_json(request: HttpRequest) -> JsonResponse:
    """Django answering JSON with no database, no auth, no serializer: gunicorn's readiness check."""
    return JsonResponse({"status": "ok", "items": list(range(10))})


urlpatterns = [
    path("bench/bare/", bare_json),
    path("bench/floor/programs/", floors.program_list),
    path("bench/floor/rounds/<int:cohort_pk>/applications/", floors.round_applications),
    path("bench/floor/reviewers/<int:reviewer_pk>/assignments/", floors.reviewer_queue),
    path("bench/floor/insert/", floors.insert_one_row),
    path("", include("config.urls")),
]
