from django.urls import path

from adoption import views

app_name = "adoption"

startup = "startups/<int:startup_pk>/"
program = "programs/<slug:slug>/"

urlpatterns = [
    path("", views.index, name="index"),
    path(startup, views.startup_dashboard, name="startup-dashboard"),
    path(startup + "deployments/", views.deployment_list, name="deployment-list"),
    path(startup + "deployments/<int:pk>/stage/", views.deployment_stage, name="deployment-stage"),
    path(startup + "keys/", views.api_key_list, name="apikey-list"),
    path(startup + "keys/<int:pk>/revoke/", views.api_key_revoke, name="apikey-revoke"),
    path(startup + "usage/upload/", views.usage_upload, name="usage-upload"),
    path(startup + "check-ins/", views.checkin_list, name="checkin-list"),
    path(startup + "check-ins/<int:pk>/", views.checkin_edit, name="checkin-edit"),
    path(startup + "milestones/<int:pk>/achieved/", views.milestone_achieved, name="milestone-achieved"),
    path(startup + "payments/", views.payment_list, name="payment-list"),
    path(program + "dashboard/", views.manager_dashboard, name="manager-dashboard"),
    path(program + "payments/", views.manager_payments, name="manager-payments"),
    path(program + "payments.csv", views.manager_payments_csv, name="manager-payments-csv"),
    path(program + "payments/<int:pk>/<slug:action>/", views.manager_payment_action, name="manager-payment-action"),
]
