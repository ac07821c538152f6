"""The site's public address comes from configuration, not from whoever made the Site record.

Wagtail builds every absolute URL (canonical, hreflang, sitemap, feeds, structured data,
Open Graph) from the ``Site`` record's hostname and port. A fresh database has
``localhost:80``; after each ``migrate`` (so on every deploy) the default Site is set to
the deployment's ``BASE_URL``, and ``root_url`` then gives that address back.
"""

import logging
from urllib.parse import urlsplit

from django.apps import apps as global_apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}


def configured_address(base_url=None):
    """(hostname, port) of ``BASE_URL``; None when it is not set."""
    base_url = base_url if base_url is not None else settings.WAGTAILADMIN_BASE_URL
    if not base_url:
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ImproperlyConfigured(f"BASE_URL must be an http or https address, not {base_url!r}.")
    if parts.path.strip("/"):
        raise ImproperlyConfigured(f"BASE_URL must have no path, not {base_url!r}.")
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    # Wagtail reads the scheme from the port: 443 is https, anything else http.
    if (parts.scheme == "https") != (port == 443):
        raise ImproperlyConfigured(
            f"BASE_URL {base_url!r}: Wagtail serves https on port 443 only; put the proxy "
            "on 443 or use http."
        )
    return parts.hostname, port


def sync_default_site(apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """Give the default Site the configured address (a ``post_migrate`` receiver)."""
    address = configured_address()
    if address is None:
        return
    Site = apps.get_model("wagtailcore", "Site")
    hostname, port = address
    sites = Site.objects.using(using)
    site = sites.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == address:
        return
    if sites.filter(hostname=hostname, port=port).exists():
        logger.warning(
            "BASE_URL is %s:%s, but another Site has that address; the default Site keeps %s:%s.",
            hostname,
            port,
            site.hostname,
            site.port,
        )
        return
    sites.filter(pk=site.pk).update(hostname=hostname, port=port)
