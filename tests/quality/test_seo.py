"""Titles, descriptions, canonical addresses, sharing cards and schema.org data."""

import json

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from home.seo import open_graph_locale, shorten
from newsroom.models import NewsItemPage
from tests.quality.conftest import LANGUAGES, public_pages
from tests.sitemaps import sitemap_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def root():
    """Pages' absolute addresses use the Wagtail site's own host name."""
    return Site.objects.get(is_default_site=True).root_url


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def meta(soup, **attrs):
    tag = soup.find("meta", attrs=attrs)
    return tag["content"] if tag else None


def structured(soup):
    blocks = soup.find_all("script", type="application/ld+json")
    assert len(blocks) == 1
    return {item["@type"]: item for item in json.loads(blocks[0].string)["@graph"]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_page_has_its_own_title_description_and_canonical_address(client, language):
    titles, descriptions = {}, {}
    for name, url in public_pages(language):
        if name in ("404 page", "search results"):
            continue
        soup = soup_of(client, url)
        title = soup.title.string.strip()
        description = meta(soup, name="description")
        assert description, f"{name} has no meta description"
        assert title not in titles, f"{name} and {titles.get(title)} share the title {title!r}"
        assert description not in descriptions, f"{name} repeats {descriptions.get(description)}"
        titles[title], descriptions[description] = name, name
        canonical = soup.find("link", rel="canonical")["href"]
        assert canonical == root() + url.split("?")[0]
        assert meta(soup, property="og:url") == canonical
        assert meta(soup, property="og:title")
        assert meta(soup, property="og:description") == description
        assert meta(soup, name="twitter:description") == description
        assert meta(soup, name="twitter:card") in ("summary", "summary_large_image")
        assert meta(soup, property="og:locale") == open_graph_locale(language)


def test_search_results_and_the_404_page_ask_not_to_be_indexed(client):
    for url in ("/en/search/?q=OSCE", "/en/no-such-page/"):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        assert meta(soup, name="robots") == "noindex"
        assert soup.find("link", rel="canonical") is None


def test_a_news_item_is_a_news_article_with_date_publisher_and_issuing_organisation(client):
    item = NewsItemPage.objects.live().filter(locale__language_code="en").order_by("pk").first()
    soup = soup_of(client, item.url)
    data = structured(soup)
    article = data["NewsArticle"]
    assert article["headline"] == shorten(item.title, 110)
    assert article["datePublished"].startswith(item.issued_on.isoformat() + "T")
    assert article["datePublished"].endswith("+00:00")
    assert article["description"] == item.lead
    assert article["publisher"]["@type"] == "Organization"
    assert article["publisher"]["name"] == data["Organization"]["name"]
    issuers = {author["name"] for author in article["author"]}
    first_issuer = item.issued_by.first()
    assert any(first_issuer.title in name or name in first_issuer.title for name in issuers)
    assert all(author["@type"] == "Organization" for author in article["author"])
    assert article["mainEntityOfPage"] == root() + item.url
    assert meta(soup, property="og:type") == "article"

    trail = data["BreadcrumbList"]["itemListElement"]
    assert [crumb["position"] for crumb in trail] == list(range(1, len(trail) + 1))
    assert trail[-1]["item"] == root() + item.url
    assert trail[0]["item"] == root() + "/en/"


def test_every_page_describes_the_organisation(client):
    data = structured(soup_of(client, "/en/"))
    organisation = data["Organization"]
    assert organisation["alternateName"] == "OSCE"
    assert organisation["url"] == root() + "/en/"
    assert organisation["email"] and organisation["address"]
    assert "NewsArticle" not in data


def test_structured_data_cannot_be_broken_out_of(client):
    item = NewsItemPage.objects.live().filter(locale__language_code="en").first()
    item.title = "</script><script>alert(1)</script>"
    item.save_revision().publish()
    html = client.get(item.url).text
    assert "</script><script>alert(1)" not in html
    soup = BeautifulSoup(html, "html.parser")
    assert structured(soup)["NewsArticle"]["headline"] == item.title


def test_the_sitemap_lists_pages_in_every_language(client):
    body = sitemap_text(client)
    for language in LANGUAGES:
        assert f"{root()}/{language}/" in body
