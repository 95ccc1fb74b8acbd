from django.urls import path

from adoption.api import views

app_name = "adoption-api"

urlpatterns = [
    path("usage/", views.UsageView.as_view(), name="usage"),
    path("adoption/deployments/", views.DeploymentListView.as_view(), name="deployment-list"),
]
