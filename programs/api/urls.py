app_name = "programs-api"

urlpatterns: list = []
