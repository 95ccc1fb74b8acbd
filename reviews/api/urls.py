from django.urls import path
from rest_framework.routers import SimpleRouter

from reviews.api import views

app_name = "reviews-api"

router = SimpleRouter()
router.register("reviews/assignments", views.AssignmentViewSet, basename="assignment")
router.register("reviews/offers", views.OfferViewSet, basename="offer")

urlpatterns = [
    path("reviews/assignments/<int:pk>/review/", views.ReviewView.as_view(), name="review"),
    path("reviews/assignments/<int:pk>/review/submit/", views.ReviewSubmitView.as_view(), name="review-submit"),
    path("reviews/rounds/<int:cohort_pk>/ranking/", views.RankingView.as_view(), name="ranking"),
    path(
        "reviews/rounds/<int:cohort_pk>/applications/",
        views.RoundApplicationListView.as_view(),
        name="round-applications",
    ),
    path("reviews/rounds/<int:cohort_pk>/decisions/", views.DecisionView.as_view(), name="decisions"),
    path("reviews/rounds/<int:cohort_pk>/decisions/bulk/", views.BulkDecisionView.as_view(), name="decisions-bulk"),
    *router.urls,
]
