"""Every app's API under /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("programs.api.urls")),
    path("", include("applicants.api.urls")),
    path("", include("reviews.api.urls")),
    path("", include("adoption.api.urls")),
    path("", include("notifications.api.urls")),
]
