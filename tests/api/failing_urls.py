"""The project's URLs and error handlers, plus a page and an endpoint that fail."""

from django.urls import path

from config import urls


def fail(request):
    raise RuntimeError("A bug.")


urlpatterns = [path("api/v1/fail/", fail), path("fail/", fail), *urls.urlpatterns]
handler400 = urls.handler400
handler404 = urls.handler404
handler500 = urls.handler500
