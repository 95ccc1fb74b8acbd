from rest_framework.routers import SimpleRouter

from programs.api import views

app_name = "programs-api"

router = SimpleRouter()
router.register("programs", views.ProgramViewSet, basename="program")
router.register("rounds", views.RoundViewSet, basename="round")

urlpatterns = router.urls
