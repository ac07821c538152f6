"""Site search: relevance and date order, highlighting, news details, editors' picks, bad input."""

import datetime

import pytest
from bs4 import BeautifulSoup
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page

from directory.models import InstitutionPage
from tests.factories import (
    CountryPageFactory,
    InstitutionPageFactory,
    StandardPageFactory,
    news_item,
    translate,
)

pytestmark = pytest.mark.django_db

SEARCH = "/en/search/"


def results(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def titles(page):
    return [" ".join(h.get_text().split()) for h in page.select(".search-result h2")]


def test_news_results_show_date_issuer_and_highlighted_words(client):
    secretariat = InstitutionPageFactory(
        title="Secretariat", kind=InstitutionPage.Kind.SECRETARIAT, issuer_name="OSCE Secretariat"
    )
    unit = InstitutionPageFactory(title="Transnational Threats Department", parent=secretariat)
    news_item(
        title="OSCE hosts expert dialogue on the return of foreign terrorist fighters",
        lead="Good practices in the treatment of foreign terrorist fighter (FTF) returnees "
        "were the focus of an expert dialogue.",
        issued_on=datetime.date(2021, 9, 17),
        issued_by=[unit],
    )
    news_item(title="Border guards trained", lead="A course for fighters of fires.")
    page = results(client, q="terrorist fighters")
    result = page.select_one(".search-result")
    assert "foreign terrorist fighters" in result.h2.get_text()
    assert result.select_one("time")["datetime"] == "2021-09-17"
    issuer = result.select_one(".search-result__issuer").get_text()
    assert issuer == "OSCE Secretariat, Transnational Threats Department"
    marked = {m.get_text().lower() for m in result.select(".search-result__excerpt mark")}
    assert {"terrorist", "fighter"} <= marked
    assert page.select_one(".search-summary").get_text(strip=True) == "1 result"


def test_searches_pages_of_every_type_in_the_current_language(client):
    country = CountryPageFactory(title="Tajikistan")
    StandardPageFactory(title="Visiting Tajikistan")
    news_item(title="Tajikistan hosts a border forum")
    news_item(title="Kazakhstan hosts a border forum")
    translate(country, "fr")
    page = results(client, q="Tajikistan")
    found = titles(page)
    assert sorted(found) == ["Tajikistan", "Tajikistan hosts a border forum", "Visiting Tajikistan"]
    links = [a["href"] for a in page.select(".search-result h2 a")]
    assert all(link.startswith("/en/") for link in links), links
    assert all(
        Page.objects.filter(title=title, locale__language_code="en").exists() for title in found
    )
    # The French search finds the French copy only.
    french = BeautifulSoup(client.get("/fr/search/", {"q": "Tajikistan"}).content, "html.parser")
    assert [a["href"] for a in french.select(".search-result h2 a")] == [
        "/fr/countries/tajikistan/"
    ]


def test_relevance_and_newest_first(client):
    news_item(
        title="Pyrotechnics seminar",
        lead="About pyrotechnics.",
        issued_on=datetime.date(2020, 1, 1),
    )
    news_item(
        title="Annual review",
        lead="A short mention of pyrotechnics at the end.",
        issued_on=datetime.date(2024, 1, 1),
    )
    assert titles(results(client, q="pyrotechnics")) == ["Pyrotechnics seminar", "Annual review"]
    page = results(client, q="pyrotechnics", order="newest")
    assert titles(page) == ["Annual review", "Pyrotechnics seminar"]
    assert page.select_one(".search-sort [aria-current]").get_text() == "Newest first"


def test_unpublished_pages_are_not_found(client):
    item = news_item(title="Quasicrystal workshop")
    assert titles(results(client, q="quasicrystal")) == ["Quasicrystal workshop"]
    item.unpublish()
    page = results(client, q="quasicrystal")
    assert titles(page) == []
    assert "No results found for “quasicrystal”" in page.get_text()


def test_editors_picks_come_first(client):
    about = StandardPageFactory(title="About us")
    news_item(title="Budget adopted", lead="The budget for next year.")
    SearchPromotion.objects.create(
        query=Query.get("budget"), page=about, description="How the OSCE is funded."
    )
    page = results(client, q="Budget")
    picks = page.select_one(".search-promotions")
    assert picks.a["href"] == about.url
    assert "How the OSCE is funded." in picks.get_text()
    # The picks are shown above the results.
    assert page.find_all(class_=["search-promotions", "search-results"])[0] is picks
    assert titles(page) == ["Budget adopted"]


@pytest.mark.parametrize(
    "q",
    [
        '"osce',
        "osce AND NOT OR (",
        "1' OR '1'='1'; DROP TABLE wagtailcore_page; --",
        "o" * 5000,
        "Мониторинговая миссия",
        "🤝🕊️",
        "* ^ ~ : {title} NEAR()",
        "\x00",
    ],
)
def test_odd_queries_answer_normally(client, q):
    assert client.get(SEARCH, {"q": q}).status_code == 200


def test_page_numbers(client):
    for n in range(22):
        news_item(title=f"Heliograph report {n}")
    assert client.get(SEARCH, {"q": "heliograph", "page": "x"}).status_code == 404
    last = results(client, q="heliograph", page="2")
    beyond = results(client, q="heliograph", page="40")
    assert len(titles(last)) == 2
    assert titles(beyond) == titles(last)
    assert "q=heliograph&page=1" in last.select_one(".pagination a[rel=prev]")["href"]
