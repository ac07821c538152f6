"""Readers stay in their language: home, menu, switcher, alternates, sitemap, news, search."""

import re

import pytest
from wagtail.models import Page

from directory.models import FieldOfWork
from newsroom.models import NewsItemPage
from tests.sitemaps import sitemap_text

from .conftest import DATA, LANGUAGES, RUSSIAN_ITEM, read, soup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

INTERFACE = {
    "en": "Skip to main content",
    "fr": "Aller au contenu principal",
    "de": "Zum Hauptinhalt springen",
    "it": "Vai al contenuto principale",
    "ru": "Перейти к основному содержанию",
    "es": "Ir al contenido principal",
}


def menu_titles(language):
    """The seed menu's top-level entries, named by the data files in ``language``."""
    titles = {}

    def walk(prefix, nodes):
        for node in nodes:
            path = f"{prefix}{node['slug']}"
            titles[path] = node["title"][language]
            walk(f"{path}/", node.get("children", []))

    for name in (DATA / "pages" / "ORDER").read_text().split():
        data = read(f"pages/{name}")
        walk(f"{data['parent']}/" if data["parent"] else "", data["pages"])
    return [titles[section["page"]] for section in read("menu.json")["sections"]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_serves_its_home_page_with_the_menu_in_that_language(client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    page = soup(response)
    assert page.html["lang"] == language
    top = [
        element.get_text(strip=True)
        for element in page.select_one("nav.mega-menu").select(".mega-menu__top")
    ]
    assert top == menu_titles(language)
    assert page.select_one(".skip-link").get_text(strip=True) == INTERFACE[language]


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_every_menu_link_stays_in_the_language(client, language):
    menu = soup(client.get(f"/{language}/")).select_one("nav.mega-menu")
    links = {a["href"] for a in menu.select("a:not([href^='#'])")}
    assert len(links) == 139
    assert all(link.startswith(f"/{language}/") for link in links), links


def test_a_country_is_named_in_each_language(client):
    finland = {"fr": "Finlande", "de": "Finnland", "ru": "Финляндия", "es": "Finlandia"}
    for language, name in finland.items():
        response = client.get(f"/{language}/countries/participating-states/finland/")
        assert response.status_code == 200
        assert soup(response).h1.get_text(strip=True) == name


def test_breadcrumbs_are_in_the_language(client):
    page = soup(client.get("/de/countries/participating-states/finland/"))
    text = page.select_one("nav.breadcrumbs").get_text(" ", strip=True)
    assert "Länder" in text and "Countries" not in text


def test_hreflang_alternates_list_every_translation(client):
    page = soup(client.get("/fr/countries/participating-states/finland/"))
    alternates = {
        link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')
    }
    assert set(alternates) == set(LANGUAGES) | {"x-default"}
    assert alternates["ru"].endswith("/ru/countries/participating-states/finland/")
    assert alternates["x-default"] == alternates["en"]


def test_the_switcher_leads_to_the_same_page_or_else_that_languages_home(client):
    page = soup(client.get(f"/ru/{RUSSIAN_ITEM}"))
    links = {a["hreflang"]: a["href"] for a in page.select(".language-switcher a[hreflang]")}
    assert list(links) == LANGUAGES
    assert links["en"] == f"/en/{RUSSIAN_ITEM}"
    assert links["fr"] == "/fr/"  # the news item exists in English and Russian only
    current = page.select_one('.language-switcher a[aria-current="true"]')
    assert current["hreflang"] == "ru"


def test_sitemap_lists_every_language_version_with_its_alternates(client):
    xml = sitemap_text(client)
    for language in LANGUAGES:
        assert f"/{language}/countries/participating-states/finland/</loc>" in xml
    finland = re.search(r"<url><loc>[^<]*/de/countries/[^<]*/finland/</loc>.*?</url>", xml)
    assert finland is not None
    # Every language, and English again as the default for readers of other languages.
    assert finland.group(0).count('rel="alternate"') == len(LANGUAGES) + 1
    assert 'hreflang="x-default"' in finland.group(0)
    assert xml.count("<url>") == Page.objects.live().filter(depth__gte=2).count()


def test_the_russian_news_item_is_translated_and_links_to_russian_pages(client, seed_item):
    response = client.get(f"/ru/{RUSSIAN_ITEM}")
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(strip=True) == seed_item["translations"]["ru"]["title"]
    facts = page.select_one(".news-item__facts")
    text = facts.get_text(" ", strip=True)
    assert "Дата публикации:" in text and "17 сентября 2021" in text
    assert "Борьба с терроризмом" in text
    assert all(a["href"].startswith("/ru/") for a in facts.select("a"))


def test_the_russian_news_item_is_in_the_russian_newsroom_only(client, seed_item):
    russian = seed_item["translations"]["ru"]["title"]
    assert russian in client.get("/ru/news/").content.decode()
    for language in ("en", "fr", "de"):
        assert russian not in client.get(f"/{language}/news/").content.decode()
    assert seed_item["title"] not in client.get("/ru/news/").content.decode()


@pytest.mark.parametrize("query", ["терроризмом", "реинтеграции", "Таджикистан"])
def test_a_russian_query_finds_the_russian_news_item(client, seed_item, query):
    russian = seed_item["translations"]["ru"]["title"]
    found = client.get("/ru/search/", {"q": query}).content.decode()
    assert russian in found
    assert russian not in client.get("/en/search/", {"q": query}).content.decode()


def test_an_accented_query_finds_the_french_page(client):
    found = soup(client.get("/fr/search/", {"q": "Démocratisation"}))
    titles = [a.get_text(strip=True) for a in found.select("main a")]
    assert "Démocratisation" in titles


def test_taxonomy_names_exist_in_every_language():
    """Each language has the field of work under its own name, not another language's."""
    names = dict(
        FieldOfWork.objects.filter(slug="countering-terrorism").values_list(
            "locale__language_code", "name"
        )
    )
    assert names == {
        "en": "Countering terrorism",
        "fr": "Lutte contre le terrorisme",
        "de": "Terrorismusbekämpfung",
        "it": "Lotta al terrorismo",
        "ru": "Борьба с терроризмом",
        "es": "Lucha contra el terrorismo",
    }


def test_the_russian_news_item_is_published_in_russian():
    item = NewsItemPage.objects.get(locale__language_code="ru")
    assert item.live
    assert item.url.startswith("/ru/news/")
