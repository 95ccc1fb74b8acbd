from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from common.menu import register_menu_flags, remember_menu_at_login
        from programs.rules import menu_flags

        register_menu_flags(menu_flags)
        user_logged_in.connect(remember_menu_at_login, dispatch_uid="programs.remember_menu")
