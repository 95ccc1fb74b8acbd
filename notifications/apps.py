from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from notifications import events, receivers, webhooks  # noqa: F401  (connect the signal receivers)
        from notifications.services import email_finish, templates_seed_defaults
        from outbox.services import email_finisher_register

        for event in events.SEND_TIME_VALUES:
            email_finisher_register(event=event, finish=email_finish)

        # Every deploy's migrate gives each registered event its default
        # templates, so an event added to the registry is editable at once.
        def seed(sender: AppConfig, **kwargs: object) -> None:
            templates_seed_defaults(using=str(kwargs.get("using", "default")))

        post_migrate.connect(seed, sender=self, dispatch_uid="notifications.seed_default_templates")
