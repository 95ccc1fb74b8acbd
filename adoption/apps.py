from django.apps import AppConfig


class AdoptionConfig(AppConfig):
    name = "adoption"
    verbose_name = "Adoption"

    def ready(self) -> None:
        from adoption import receivers  # noqa: F401  (connects the signal receivers)
        from adoption.rules import menu_flags
        from common.menu import register_menu_flags

        register_menu_flags(menu_flags)
