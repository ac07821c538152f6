"""Metadata and small faults an outside checker (Lighthouse, validators) would notice."""

import gzip
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders

from tests.factories import UserFactory, news_item, translate
from tests.sitemaps import sitemap_locations, sitemap_text

pytestmark = pytest.mark.django_db

LONG_TITLE = (
    "Chairperson-in-Office welcomes the agreement reached by the participating States on "
    "the Helsinki Final Act anniversary declaration in Vienna"
)


@pytest.fixture
def item():
    item = news_item(title=LONG_TITLE, lead="The Chairperson-in-Office welcomed the agreement.")
    translate(item.get_parent(), "fr")
    translate(item, "fr")
    return item


def soup_of(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def article_of(soup):
    graph = json.loads(soup.find("script", type="application/ld+json").string)["@graph"]
    return next(node for node in graph if node["@type"] == "NewsArticle")


def test_a_news_item_describes_itself_by_its_lead(client, item):
    soup = soup_of(client, item.url)
    assert soup.find("meta", attrs={"name": "description"})["content"] == item.lead
    assert soup.find("meta", property="og:description")["content"] == item.lead
    assert article_of(soup)["description"] == item.lead


def test_a_long_headline_is_cut_at_a_word_with_an_ellipsis(client, item):
    headline = article_of(soup_of(client, item.url))["headline"]
    assert len(headline) <= 110
    assert headline.endswith("…")
    assert LONG_TITLE.startswith(headline[:-1])
    assert LONG_TITLE[len(headline) - 1] == " "


def test_dates_carry_a_time_zone(client, item):
    article = article_of(soup_of(client, item.url))
    for key in ("datePublished", "dateModified"):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00", article[key]), key
    assert article["dateModified"] >= article["datePublished"]


def test_open_graph_locales_are_language_and_territory(client, item):
    soup = soup_of(client, item.url)
    assert soup.find("meta", property="og:locale")["content"] == "en_GB"
    alternates = [m["content"] for m in soup.find_all("meta", property="og:locale:alternate")]
    assert alternates == ["fr_FR"]


def test_the_sitemap_names_a_default_version_of_translated_pages(client, item):
    body = sitemap_text(client)
    assert 'hreflang="x-default"' in body
    english = re.search(rf"<loc>([^<]*{re.escape(item.url)})</loc>", body).group(1)
    assert f'hreflang="x-default" href="{english}"' in body


def test_search_pages_say_noindex_once(client):
    html = client.get("/en/search/?q=vienna").content.decode()
    assert html.count('name="robots"') == 1


def test_the_favicon_is_found(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.ico")
    soup = soup_of(client, "/en/")
    assert soup.find("link", rel="icon")


def test_pages_and_feeds_are_compressed_for_readers(client, item):
    for url in ("/en/", item.url, "/en/news/feed/rss/", "/sitemap-pages.xml"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, url
        assert response["Content-Encoding"] == "gzip", url
        assert gzip.decompress(response.content)


def test_the_admin_is_not_compressed(client):
    client.force_login(UserFactory(is_superuser=True))
    response = client.get("/admin/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_the_sitemap_is_an_index_of_pages_of_at_most_the_protocols_limit(client, item, settings):
    from localization.sitemaps import LocalizedSitemap

    LocalizedSitemap.limit = 2
    try:
        locations = sitemap_locations(client)
        text = sitemap_text(client)
    finally:
        LocalizedSitemap.limit = 50_000
    pages = re.findall(r"<url>", text)
    assert len(locations) >= 2 and len(pages) > 2
    assert locations[1].endswith("/sitemap-pages.xml?p=2")
    assert client.get("/sitemap-pages.xml?p=999").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_every_page_has_a_sharing_image_and_the_publisher_a_logo(client, item):
    soup = soup_of(client, item.url)
    image = soup.find("meta", property="og:image")["content"]
    assert image.startswith("http") and image.endswith(".png")
    assert soup.find("meta", attrs={"name": "twitter:image"})["content"] == image
    assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    article = article_of(soup)
    assert article["image"] == [image]
    logo = article["publisher"]["logo"]["url"]
    assert logo.startswith("http") and logo.endswith("logo.png")
    for url in (logo, image):
        assert finders.find(url.split("/static/", 1)[1]), f"{url} is not a static file"


def test_a_sitemap_page_is_built_once_until_a_page_changes(
    client, item, django_assert_max_num_queries
):
    first = client.get("/sitemap-pages.xml")
    assert first.status_code == 200
    with django_assert_max_num_queries(1):
        again = client.get("/sitemap-pages.xml")
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    published = news_item(title="Published after the sitemap was built")
    assert published.url in client.get("/sitemap-pages.xml").content.decode()
