from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment-detail"),
    path("assignments/<int:pk>/conflict/", views.assignment_conflict, name="assignment-conflict"),
    path("assignments/<int:pk>/files/<slug:question_key>/", views.attachment_download, name="attachment-download"),
    path("rounds/", views.round_list, name="round-list"),
    path("rounds/<int:pk>/", views.round_overview, name="round-overview"),
    path("rounds/<int:pk>/assignments/", views.round_assignments, name="round-assignments"),
    path("rounds/<int:pk>/assignments/add/", views.assignment_add, name="assignment-add"),
    path("rounds/<int:pk>/assignments/<int:assignment_pk>/remove/", views.assignment_remove, name="assignment-remove"),
    path("rounds/<int:pk>/ranking/", views.round_ranking, name="round-ranking"),
    path("offers/", views.offer_list, name="offer-list"),
    path("offers/<int:pk>/", views.offer_detail, name="offer-detail"),
]
