from django.urls import path

from applicants import views

app_name = "applicants"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("startups/new/", views.startup_create, name="startup-create"),
    path("startups/<int:pk>/", views.startup_detail, name="startup-detail"),
    path("startups/<int:pk>/edit/", views.startup_update, name="startup-update"),
    path("startups/<int:pk>/members/", views.member_list, name="member-list"),
    path("startups/<int:pk>/members/<int:member_pk>/remove/", views.member_remove, name="member-remove"),
    path(
        "startups/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("rounds/<int:cohort_pk>/apply/", views.application_start, name="application-start"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path("applications/<int:pk>/autosave/", views.application_autosave, name="application-autosave"),
    path("applications/<int:pk>/eligibility/", views.application_eligibility, name="application-eligibility"),
    path("applications/<int:pk>/review/", views.application_review, name="application-review"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application-withdraw"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("attachments/<int:pk>/remove/", views.attachment_delete, name="attachment-delete"),
]
