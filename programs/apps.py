from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from programs.roles import remember_menu_at_login

        user_logged_in.connect(remember_menu_at_login, dispatch_uid="programs.remember_menu")
