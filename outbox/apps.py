from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Outbox"

    def ready(self) -> None:
        # Registers the tasks, which the services queue by name.
        from outbox import tasks  # noqa: F401
