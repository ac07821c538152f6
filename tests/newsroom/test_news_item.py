"""The news item page: its facts, links, body and related news; the seed's item as on the site.

The tests marked ``demo`` are about the demo content: the seed's news item
(``tests/data/osce-news-item-page.txt``) must read as the organisation's site shows it.
The others build the item they need with the factories.
"""

import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from directory.models import InstitutionPage
from newsroom.models import NewsItemPage, NewsItemRelatedLink
from tests.factories import (
    CountryPageFactory,
    FieldOfWorkFactory,
    FieldOfWorkPageFactory,
    InstitutionPageFactory,
    PublicationTypeFactory,
    news_item,
)

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "data" / "osce-news-item-page.txt"
SEED_SLUG = (
    "osce-hosts-expert-dialogue-on-good-practices-in-addressing-"
    "return-of-foreign-terrorist-fighters"
)


def seed_facts():
    """The title, lead, issuer and field of the seed page, as the organisation's site shows them."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = lines.index("News Item") + 1
    title, lead = lines[start], lines[start + 1]
    facts = lines[start + 2 : start + 7]
    assert facts[0] == "- Issued on:" and facts[1] == "- Issued by:", facts
    assert facts[3] == "- Fields of work:", facts
    return {
        "title": title,
        "lead": lead,
        "issuer": facts[2].removeprefix("- "),
        "field": facts[4].removeprefix("- "),
        "body": lines[start + 7 :],
    }


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


# The seed's news item, in the demo -------------------------------------------------


@pytest.fixture
def seed_item(demo):
    return NewsItemPage.objects.get(slug=SEED_SLUG, locale__language_code="en")


@pytest.mark.usefixtures("demo")
def test_seed_news_item_reads_like_the_original(client, seed_item):
    seed = seed_facts()
    page = soup(client.get(seed_item.url))
    assert page.h1.get_text(strip=True) == seed["title"]
    assert page.select_one(".news-item__lead").get_text(strip=True) == seed["lead"]
    facts = page.select_one("dl.facts")
    terms = [dt.get_text(strip=True) for dt in facts.find_all("dt")]
    assert terms[:3] == ["Issued on:", "Issued by:", "Fields of work:"]
    assert facts.find("time").get_text(strip=True) == "17 September 2021"
    issuer = facts.find("a", string=seed["issuer"])
    assert issuer is not None, seed["issuer"]
    assert issuer["href"].endswith("/secretariat/transnational-threats-department/")
    field = facts.find("a", string=seed["field"])
    assert field["href"] == "/en/our-work/fields-of-work/countering-terrorism/"
    assert client.get(field["href"]).status_code == 200
    prose = " ".join(page.select_one(".prose").get_text(" ").split())
    for paragraph in (p for p in seed["body"] if p.startswith(("The event", "The three-day"))):
        assert " ".join(paragraph.split()) in prose


@pytest.mark.usefixtures("demo")
def test_seed_quotes_are_quote_blocks(client, seed_item):
    page = soup(client.get(seed_item.url))
    speakers = [q.get_text(strip=True) for q in page.select(".block-quote__speaker")]
    assert speakers == ["Shodikhon Dzhamshed", "Oliya Ilmuradova"]
    assert all(name in " ".join(seed_facts()["body"]) for name in speakers)


@pytest.mark.usefixtures("demo")
def test_hubs_show_the_seed_item(client, seed_item):
    for url in [
        "/en/our-work/fields-of-work/countering-terrorism/",
        "/en/structures-and-institutions/secretariat/transnational-threats-department/",
        "/en/structures-and-institutions/secretariat/",
    ]:
        assert seed_item.title in client.get(url).content.decode(), url


# Any news item, built for the test ---------------------------------------------------


@pytest.fixture
def site():
    secretariat = InstitutionPageFactory(
        title="Secretariat", kind=InstitutionPage.Kind.SECRETARIAT, issuer_name="OSCE Secretariat"
    )
    unit = InstitutionPageFactory(title="Transnational Threats Department", parent=secretariat)
    other = InstitutionPageFactory(title="Mission in Kosovo")
    terrorism = FieldOfWorkFactory(name="Countering terrorism")
    field_page = FieldOfWorkPageFactory(title="Countering terrorism", field_of_work=terrorism)
    border = FieldOfWorkFactory(name="Border management")  # a field without a page
    country = CountryPageFactory(title="Tajikistan")
    return {
        "secretariat": secretariat,
        "unit": unit,
        "other": other,
        "terrorism": terrorism,
        "field_page": field_page,
        "border": border,
        "country": country,
    }


def test_a_news_item_shows_its_facts_with_links(client, site):
    item = news_item(
        title="Expert dialogue on returnees",
        lead="Experts met online.",
        issued_on=datetime.date(2021, 9, 17),
        issued_by=[site["unit"]],
        fields=[site["terrorism"], site["border"]],
        countries=[site["country"]],
        publication_type=PublicationTypeFactory(name="Press release"),
    )
    page = soup(client.get(item.url))
    assert page.h1.get_text(strip=True) == "Expert dialogue on returnees"
    assert page.select_one(".eyebrow").get_text(strip=True) == "Press release"
    assert page.select_one(".news-item__lead").get_text(strip=True) == "Experts met online."
    facts = page.select_one("dl.facts")
    terms = [dt.get_text(strip=True) for dt in facts.find_all("dt")]
    assert terms == ["Issued on:", "Issued by:", "Fields of work:", "Countries:"]
    assert facts.find("time")["datetime"] == "2021-09-17"
    assert facts.find("time").get_text(strip=True) == "17 September 2021"
    # A unit is named after its structure and links to its own page.
    issuer = facts.find("a", string="OSCE Secretariat, Transnational Threats Department")
    assert issuer["href"] == site["unit"].url
    field = facts.find("a", string="Countering terrorism")
    assert field["href"] == site["field_page"].url
    assert client.get(field["href"]).status_code == 200
    # A field of work without a page is named, not linked.
    unlinked = [dd for dd in facts.find_all("dd") if dd.get_text(strip=True) == "Border management"]
    assert len(unlinked) == 1 and unlinked[0].find("a") is None
    assert facts.find("a", string="Tajikistan")["href"] == site["country"].url


def test_quotes_are_shown_as_quote_blocks(client, site):
    item = news_item(
        title="Reintegration seminar",
        issued_by=[site["unit"]],
        body=[
            ("paragraph", "<p>The seminar addressed reintegration.</p>"),
            ("quote", {"quote": "We should be ready.", "speaker": "Oliya Ilmuradova", "role": ""}),
        ],
    )
    page = soup(client.get(item.url))
    assert "The seminar addressed reintegration." in page.select_one(".prose").get_text()
    quote = page.select_one(".block-quote")
    assert quote.blockquote.get_text(strip=True) == "We should be ready."
    assert quote.select_one(".block-quote__speaker").get_text(strip=True) == "Oliya Ilmuradova"


def test_related_news_are_the_latest_on_the_same_fields_or_the_editors_picks(client, site):
    terrorism = [site["terrorism"]]
    item = news_item(title="Main story", issued_by=[site["unit"]], fields=terrorism)
    for n in range(4):
        news_item(
            title=f"Earlier story {n}",
            issued_on=datetime.date(2023, 1, 1 + n),
            issued_by=[site["other"]],
            fields=terrorism,
        )
    news_item(title="Unrelated story", issued_by=[site["other"]], fields=[site["border"]])

    def related():
        page = soup(client.get(item.url))
        return [a.get_text(strip=True) for a in page.select(".related-news .news-card__title a")]

    assert related() == ["Earlier story 3", "Earlier story 2", "Earlier story 1"]
    picked = NewsItemPage.objects.get(title="Unrelated story")
    NewsItemRelatedLink.objects.create(news_item=item, related=picked)
    assert related() == ["Unrelated story"]


def test_hubs_show_their_news_and_a_structure_that_of_its_units(client, site):
    item = news_item(
        title="Dialogue on returnees",
        issued_by=[site["unit"]],
        fields=[site["terrorism"]],
        countries=[site["country"]],
    )
    elsewhere = news_item(title="Youth forum in Pristina", issued_by=[site["other"]])
    hubs = [site["field_page"], site["unit"], site["secretariat"], site["country"]]
    for hub, expected in [*((hub, item) for hub in hubs), (site["other"], elsewhere)]:
        page = soup(client.get(hub.url))
        cards = [a.get_text(strip=True) for a in page.select(".latest-news .news-card__title a")]
        assert cards == [expected.title], hub.url
