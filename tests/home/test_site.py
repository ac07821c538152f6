"""The foundation: every page type renders, the menu is the seed's, the loader is idempotent."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Page, PageLogEntry, Revision

from config.demo import DemoLoader
from directory.models import (
    CountryPage,
    FieldOfWorkPage,
    InstitutionPage,
    MeetingPage,
    MeetingSeriesPage,
)
from home.models import HomePage, SectionIndexPage, StandardPage
from newsroom.models import NewsIndexPage, NewsItemPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

SEED = Path(__file__).resolve().parent.parent / "data" / "osce-news-item-page.txt"
PAGE_TYPES = [
    HomePage,
    StandardPage,
    SectionIndexPage,
    FieldOfWorkPage,
    CountryPage,
    InstitutionPage,
    MeetingSeriesPage,
    MeetingPage,
    NewsIndexPage,
    NewsItemPage,
]


def seed_menu_entries():
    """The names of the seed's mega menu, in order (everything before the news item)."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    names = []
    for line in lines:
        if line == "News Item":
            break
        name = line.removeprefix("- ").strip()
        if name and name != "-":
            names.append(name)
    return names


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
def test_every_page_type_renders_with_demo_content(client, model):
    page = model.objects.live().filter(locale__language_code="en").first()
    assert page is not None, f"the demo content has no {model.__name__}"
    response = client.get(page.url)
    assert response.status_code == 200
    assert soup(response).h1 is not None
    assert page.title in response.content.decode()


def test_root_redirects_to_the_readers_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


@pytest.mark.parametrize(
    "path, name",
    [
        ("/en/", "Organization for Security and Co-operation in Europe"),
        ("/en/our-work/fields-of-work/countering-terrorism/", "Countering terrorism"),
        ("/en/countries/participating-states/moldova/", "Moldova"),
        ("/en/countries/asian-partners-for-co-operation/japan/", "Japan"),
        ("/en/countries/mediterranean-partners-for-co-operation/tunisia/", "Tunisia"),
        (
            "/en/structures-and-institutions/secretariat/transnational-threats-department/",
            "Transnational Threats Department",
        ),
        (
            "/en/structures-and-institutions/field-operations/mission-to-moldova/",
            "Mission to Moldova",
        ),
        ("/en/structures-and-institutions/institutions/", "Institutions"),
    ],
)
def test_key_pages_answer_with_their_names(client, path, name):
    response = client.get(path)
    assert response.status_code == 200
    assert soup(response).h1.get_text(strip=True) == name


def test_demo_has_all_countries_and_structures():
    en = {"locale__language_code": "en"}
    assert CountryPage.objects.filter(group="participating_state", **en).count() == 57
    assert set(
        CountryPage.objects.filter(group="asian_partner", **en).values_list("title", flat=True)
    ) == {"Afghanistan", "Australia", "Japan", "Republic of Korea", "Thailand"}
    assert set(
        CountryPage.objects.filter(group="mediterranean_partner", **en).values_list(
            "title", flat=True
        )
    ) == {"Algeria", "Egypt", "Israel", "Jordan", "Morocco", "Tunisia"}
    institutions = InstitutionPage.objects.filter(kind="institution", **en)
    assert institutions.count() == 3


def test_every_seed_menu_entry_is_in_the_menu_in_order(client):
    response = client.get("/en/")
    menu = soup(response).select_one("nav.mega-menu")
    labels = [
        element.get_text(strip=True)
        for element in menu.select(".mega-menu__top, .mega-menu__items a")
    ]
    assert labels == seed_menu_entries()


def test_every_menu_entry_leads_to_a_page(client):
    menu = soup(client.get("/en/")).select_one("nav.mega-menu")
    urls = {a["href"] for a in menu.select("a:not([href^='#'])")}
    assert len(urls) == 139  # 142 entries, three of them twice
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_every_public_page_carries_the_whole_menu(client):
    expected = seed_menu_entries()
    for url in ["/en/news/", "/en/countries/participating-states/finland/", "/en/search/?q=osce"]:
        menu = soup(client.get(url)).select_one("nav.mega-menu")
        labels = [
            e.get_text(strip=True) for e in menu.select(".mega-menu__top, .mega-menu__items a")
        ]
        assert labels == expected, url


def test_breadcrumbs_lead_home(client):
    response = client.get(
        "/en/structures-and-institutions/secretariat/transnational-threats-department/"
    )
    crumbs = [a.get_text(strip=True) for a in soup(response).select("nav.breadcrumbs a")]
    assert crumbs == ["OSCE", "Structures and institutions", "Secretariat"]


def test_unknown_url_gets_the_sites_own_404_page(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Page not found"
    assert page.select_one("nav.mega-menu") is not None


def test_the_demo_loader_is_idempotent():
    counts = (Page.objects.count(), Revision.objects.count(), PageLogEntry.objects.count())
    assert DemoLoader().run() == (0, 0)
    assert (Page.objects.count(), Revision.objects.count(), PageLogEntry.objects.count()) == counts


def test_the_page_tree_is_consistent():
    assert Page.find_problems() == ([], [], [], [], [])


def test_no_page_body_is_filler():
    for model in PAGE_TYPES[1:]:
        for page in model.objects.filter(locale__language_code="en"):
            text = str(getattr(page, "body", "")) + page.summary
            assert "lorem" not in text.lower(), page
            if model not in (NewsIndexPage,):
                assert re.search(r"\w{4,}", text), f"{page} has no text"
