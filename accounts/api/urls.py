from django.urls import path

from accounts.api import views

app_name = "accounts-api"

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
]
