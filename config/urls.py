from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("reviews/", include("reviews.urls")),
    path("adoption/", include("adoption.urls")),
    path("manage/", include("notifications.urls")),
    path("", include("applicants.urls")),
    path("", include("programs.urls")),
]

handler400 = "common.api.bad_request"
handler404 = "common.api.not_found"
handler500 = "common.api.server_error"

admin.site.site_header = "Runway administration"
admin.site.site_title = "Runway admin"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
