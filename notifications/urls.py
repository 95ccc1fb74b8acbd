from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("programs/<slug:slug>/webhooks/", views.webhook_list, name="webhook-list"),
    path("programs/<slug:slug>/webhooks/<int:pk>/", views.webhook_detail, name="webhook-detail"),
    path(
        "programs/<slug:slug>/webhooks/<int:pk>/rotate-secret/",
        views.webhook_rotate_secret,
        name="webhook-rotate-secret",
    ),
    path("programs/<slug:slug>/webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook-delete"),
    path(
        "programs/<slug:slug>/webhooks/<int:pk>/deliveries/<int:delivery_pk>/replay/",
        views.webhook_delivery_replay,
        name="webhook-delivery-replay",
    ),
]
