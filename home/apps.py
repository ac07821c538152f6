from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import security, signals  # noqa: F401
        from .cache import connect_signals
        from .site_address import configured_address, sync_default_site

        connect_signals()
        configured_address()  # a malformed BASE_URL stops start-up with its reason
        post_migrate.connect(sync_default_site, sender=self, dispatch_uid="home-site-address")
