from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The composition root: commands that span the apps (the demo site, the roles)."""

    name = "config"
    verbose_name = "Site composition"
