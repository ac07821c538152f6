"""The site's public address comes from BASE_URL, and every absolute URL agrees with it.

The site is served here at https://news.osce.example while requests reach it under an
internal host name, as behind a proxy: canonical, hreflang, Open Graph, JSON-LD, the
sitemap, robots.txt and the feeds must all name the public address.
"""

import json
import re

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Site

from home.site_address import configured_address
from tests.factories import news_item, translate
from tests.sitemaps import sitemap_locations, sitemap_text

pytestmark = pytest.mark.django_db

PUBLIC = "https://news.osce.example"
INTERNAL = "app-1.internal:8000"


@pytest.fixture
def served_at_public_address(settings):
    settings.WAGTAILADMIN_BASE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["app-1.internal", "news.osce.example"]
    call_command("migrate", verbosity=0)  # as on every deploy
    item = news_item(title="Ministers meet in Helsinki", lead="Ministers met to talk.")
    translate(item.get_parent(), "fr")
    return item


def absolute_urls(html):
    soup = BeautifulSoup(html, "html.parser")
    urls = [link["href"] for link in soup.find_all("link", href=True) if "://" in link["href"]]
    urls += [tag["content"] for tag in soup.find_all("meta", content=re.compile("^https?://"))]
    data = json.loads(soup.find("script", type="application/ld+json").string)
    urls += re.findall(r'"(https?://[^"]+)"', json.dumps(data))
    return [url for url in urls if url != "https://schema.org"]


def test_migrate_gives_the_default_site_the_configured_address(served_at_public_address):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("news.osce.example", 443, PUBLIC)


def test_every_absolute_url_of_a_page_names_the_public_address(client, served_at_public_address):
    item = served_at_public_address
    for url in ("/en/", item.url, "/en/news/"):
        response = client.get(url, HTTP_HOST=INTERNAL)
        assert response.status_code == 200, url
        urls = absolute_urls(response.content)
        assert any(u == PUBLIC + url for u in urls), (url, urls)
        wrong = [u for u in urls if u.startswith("http") and not u.startswith(PUBLIC + "/")]
        assert wrong == [], url


def test_the_sitemap_and_robots_name_the_public_address(client, served_at_public_address):
    index = sitemap_locations(client, HTTP_HOST=INTERNAL)
    assert index == [f"{PUBLIC}/sitemap-pages.xml"]
    sitemap = sitemap_text(client, HTTP_HOST=INTERNAL)
    locations = re.findall(r"<loc>([^<]+)</loc>|href=\"([^\"]+)\"", sitemap)
    locations = [a or b for a, b in locations]
    assert PUBLIC + served_at_public_address.url in locations
    assert all(location.startswith(PUBLIC + "/") for location in locations), locations
    robots = client.get("/robots.txt", HTTP_HOST=INTERNAL).text
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in robots


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_feeds_name_the_public_address(client, served_at_public_address, kind):
    feed = client.get(f"/en/news/feed/{kind}/", HTTP_HOST=INTERNAL).content.decode()
    addresses = re.findall(r"https?://[^\s<\"']+", feed)
    ours = [a for a in addresses if "osce.example" in a or "internal" in a]
    assert PUBLIC + served_at_public_address.url in ours
    assert all(a.startswith(PUBLIC + "/") for a in ours), ours


@pytest.mark.parametrize(
    "base_url",
    [
        "news.osce.example",
        "ftp://news.osce.example",
        "https://news.osce.example:8443",
        "http://news.osce.example/site/",
    ],
)
def test_an_address_wagtail_cannot_serve_is_refused_with_its_reason(base_url):
    with pytest.raises(ImproperlyConfigured, match="BASE_URL"):
        configured_address(base_url)


def test_the_development_address_keeps_its_port():
    assert configured_address("http://127.0.0.1:8000") == ("127.0.0.1", 8000)
    with override_settings(WAGTAILADMIN_BASE_URL=""):
        assert configured_address() is None
