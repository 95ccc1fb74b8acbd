from django.urls import path

from applicants.api import views

app_name = "applicants-api"

LIST = {"get": "list", "post": "create"}
DESTROY = {"delete": "destroy"}

urlpatterns = [
    path("startups/", views.StartupViewSet.as_view(LIST), name="startup-list"),
    path(
        "startups/<int:pk>/",
        views.StartupViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="startup-detail",
    ),
    path("startups/<int:startup_pk>/members/", views.MemberViewSet.as_view({"get": "list"}), name="member-list"),
    path("startups/<int:startup_pk>/members/<int:pk>/", views.MemberViewSet.as_view(DESTROY), name="member-detail"),
    path("startups/<int:startup_pk>/invitations/", views.InvitationViewSet.as_view(LIST), name="invitation-list"),
    path(
        "startups/<int:startup_pk>/invitations/<int:pk>/",
        views.InvitationViewSet.as_view(DESTROY),
        name="invitation-detail",
    ),
    path("applications/", views.ApplicationViewSet.as_view(LIST), name="application-list"),
    path(
        "applications/<int:pk>/",
        views.ApplicationViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="application-detail",
    ),
    path(
        "applications/<int:pk>/submit/",
        views.ApplicationViewSet.as_view({"post": "submit"}),
        name="application-submit",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        views.ApplicationViewSet.as_view({"post": "withdraw"}),
        name="application-withdraw",
    ),
    path(
        "applications/<int:pk>/eligibility/",
        views.ApplicationViewSet.as_view({"get": "eligibility"}),
        name="application-eligibility",
    ),
    path(
        "applications/<int:application_pk>/history/",
        views.ApplicationHistoryViewSet.as_view({"get": "list"}),
        name="application-history",
    ),
    path(
        "applications/<int:application_pk>/attachments/",
        views.AttachmentViewSet.as_view(LIST),
        name="attachment-list",
    ),
    path(
        "applications/<int:application_pk>/attachments/<int:pk>/",
        views.AttachmentViewSet.as_view(DESTROY),
        name="attachment-detail",
    ),
    path(
        "applications/<int:application_pk>/attachments/<int:pk>/download/",
        views.AttachmentViewSet.as_view({"get": "download"}),
        name="attachment-download",
    ),
]
