from django.urls import path

from notifications.api import views

app_name = "notifications-api"

urlpatterns = [
    path("programs/<slug:slug>/webhooks/", views.WebhookEndpointListView.as_view(), name="webhook-list"),
    path("programs/<slug:slug>/webhooks/<int:pk>/", views.WebhookEndpointDetailView.as_view(), name="webhook-detail"),
    path(
        "programs/<slug:slug>/webhooks/<int:pk>/rotate-secret/",
        views.WebhookSecretRotateView.as_view(),
        name="webhook-rotate-secret",
    ),
    path(
        "programs/<slug:slug>/webhooks/<int:pk>/deliveries/",
        views.WebhookDeliveryListView.as_view(),
        name="webhook-delivery-list",
    ),
    path(
        "programs/<slug:slug>/webhooks/<int:pk>/deliveries/<int:delivery_pk>/replay/",
        views.WebhookDeliveryReplayView.as_view(),
        name="webhook-delivery-replay",
    ),
]
