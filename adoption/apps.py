from django.apps import AppConfig


class AdoptionConfig(AppConfig):
    name = "adoption"
    verbose_name = "Adoption"

    def ready(self) -> None:
        from adoption import receivers  # noqa: F401  (connects the signal receivers)
