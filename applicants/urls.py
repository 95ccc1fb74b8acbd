from django.urls import path

from applicants import views

app_name = "applicants"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("rounds/<int:cohort_pk>/apply/", views.application_start, name="application-start"),
]
