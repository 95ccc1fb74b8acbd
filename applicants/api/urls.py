app_name = "applicants-api"

urlpatterns: list = []
