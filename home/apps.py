from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site"

    def ready(self):
        from . import security, signals  # noqa: F401
        from .cache import connect_signals

        connect_signals()
