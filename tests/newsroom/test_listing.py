"""The newsroom listing: filters, facet counts, removing filters and bad input.

Each test builds its own small newsroom (``tests.factories.sample_newsroom``): eight
items whose structures, fields of work, countries, types, dates and words are known,
so every filter combination has one right answer.
"""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from newsroom.models import NewsItemPage
from tests.factories import (
    FieldOfWorkPageFactory,
    InstitutionPageFactory,
    many_news_items,
    news_item,
    sample_newsroom,
    translate,
)
from tests.snapshot import module_data

pytestmark = pytest.mark.django_db

NEWSROOM = "/en/news/"


built_once = module_data(sample_newsroom)


@pytest.fixture(autouse=True)
def sample(built_once, db):
    return built_once


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def titles(page):
    return [a.get_text(strip=True) for a in page.select(".news-card__title a")]


def total(page):
    return page.select_one(".newsroom__total").get_text(strip=True)


def count_of(page, facet, slug):
    label = page.select_one(f"label[for='f-{facet}-{slug}']")
    return int(label.select_one(".news-filters__count").get_text(strip=True).strip("()"))


def titles_of(sample, *keys):
    return [sample.items[key].title for key in keys]


def test_listing_shows_newest_first_with_date_issuer_fields_and_lead(client, sample):
    page = soup(client.get(NEWSROOM))
    assert total(page) == "8 items"
    # Built in date order: the listing shows them newest first whatever the creation order.
    assert titles(page) == [item.title for item in sample.items.values()]
    first = page.select_one(".news-card")
    assert first.select_one("time")["datetime"] == "2025-08-01"
    assert first.select_one(".news-card__issuer").get_text(strip=True) == "OSCE Secretariat"
    assert [li.get_text(strip=True) for li in first.select(".tags li")] == [
        "Arms control",
        "Conflict prevention and resolution",
    ]
    assert first.select_one(".news-card__type").get_text(strip=True) == "Feature"
    lead = first.select_one(".news-card__lead").get_text(strip=True)
    assert lead == "The OSCE marks fifty years of the Helsinki Final Act."


def test_a_new_item_of_the_same_day_comes_first(client, sample):
    news_item(title="Breaking: ministers meet", issued_on=sample.items["helsinki"].issued_on)
    page = soup(client.get(NEWSROOM))
    # Same day as the newest: the later one comes first.
    assert titles(page)[:2] == ["Breaking: ministers meet", sample.items["helsinki"].title]
    assert total(page) == "9 items"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "field=conflict-prevention-and-resolution",
            ["helsinki", "chair", "georgia", "malta"],
        ),
        ("field=elections&field=countering-terrorism", ["georgia", "fighters", "youth"]),
        ("field=conflict-prevention-and-resolution&country=finland", ["helsinki", "chair"]),
        ("country=finland&country=malta", ["helsinki", "chair", "malta"]),
        ("issuer=secretariat", ["helsinki", "fighters"]),
        ("issuer=transnational-threats-department", ["fighters"]),
        ("type=press-release", ["chair", "georgia", "malta"]),
        ("type=press-release&type=feature", ["helsinki", "chair", "georgia", "youth", "malta"]),
        ("from=2024-01-01&to=2024-12-31", ["georgia", "councils", "fighters", "youth"]),
        ("from=2025-01-01", ["helsinki", "chair"]),
        ("to=2023-11-20", ["malta", "policing"]),
        ("q=terrorist", ["fighters"]),
        ("q=OSCE&issuer=chairpersonship", ["chair", "malta"]),
        ("field=democratization&issuer=mission-in-kosovo&to=2024-07-01", ["youth"]),
    ],
)
def test_filters_combine_or_within_and_across(client, sample, query, expected):
    page = soup(client.get(f"{NEWSROOM}?{query}"))
    assert titles(page) == titles_of(sample, *expected)
    count = len(expected)
    assert total(page) == f"{count} item{'s' if count != 1 else ''}"


def test_a_structure_includes_its_units(client, sample):
    page = soup(client.get(f"{NEWSROOM}?issuer=secretariat"))
    assert sample.items["fighters"].title in titles(page)
    assert count_of(page, "issuer", "secretariat") == 2
    assert count_of(page, "issuer", "transnational-threats-department") == 1
    # The unit's card names it after its parent structure.
    cards = {
        card.select_one(".news-card__title a").get_text(strip=True): card
        for card in page.select(".news-card")
    }
    issuer = cards[sample.items["fighters"].title].select_one(".news-card__issuer")
    assert issuer.get_text(strip=True) == "OSCE Secretariat, Transnational Threats Department"


def test_a_unit_added_later_counts_for_its_structure(client, sample):
    unit = InstitutionPageFactory(
        title="Conflict Prevention Centre", parent=sample.structures["secretariat"]
    )
    news_item(title="Early warning report", issued_by=[unit])
    page = soup(client.get(f"{NEWSROOM}?issuer=secretariat"))
    assert "Early warning report" in titles(page)
    assert count_of(page, "issuer", "secretariat") == 3


def test_facet_counts_apply_the_other_filters_but_not_their_own(client, sample):
    page = soup(client.get(f"{NEWSROOM}?field=conflict-prevention-and-resolution"))
    # Other filters narrow the counts...
    assert count_of(page, "country", "finland") == 2
    assert count_of(page, "country", "malta") == 1
    assert count_of(page, "country", "georgia") == 1
    assert count_of(page, "type", "press-release") == 3
    assert count_of(page, "type", "feature") == 1
    assert count_of(page, "type", "statement") == 0
    assert count_of(page, "issuer", "secretariat") == 1
    # ...a filter's own values say what choosing them too would match.
    assert count_of(page, "field", "elections") == 2
    assert count_of(page, "field", "democratization") == 2
    assert count_of(page, "field", "conflict-prevention-and-resolution") == 4
    checked = page.select("input[name=field][checked]")
    assert [box["value"] for box in checked] == ["conflict-prevention-and-resolution"]


def test_active_filters_can_be_removed_one_by_one(client, sample):
    page = soup(client.get(f"{NEWSROOM}?field=elections&country=georgia&q=observation"))
    assert titles(page) == titles_of(sample, "georgia")
    chips = {a.get_text(" ", strip=True): a["href"] for a in page.select(".active-filters a")}
    assert chips["Field of work: Elections ×"] == "?country=georgia&q=observation"
    assert chips["Country: Georgia ×"] == "?field=elections&q=observation"
    assert chips["Words: observation ×"] == "?field=elections&country=georgia"
    assert chips["Clear all filters"] == NEWSROOM
    without_country = soup(client.get(NEWSROOM + chips["Country: Georgia ×"]))
    assert titles(without_country) == titles_of(sample, "georgia", "youth")


def test_no_results_says_so_and_offers_to_clear(client, sample):
    page = soup(client.get(f"{NEWSROOM}?field=elections&country=finland"))
    assert titles(page) == []
    assert total(page) == "0 items"
    empty = page.select_one(".newsroom__empty")
    assert "No news matches these filters." in empty.get_text()
    assert empty.select_one("a")["href"] == NEWSROOM


def test_an_empty_newsroom_says_there_is_no_news_yet(client, sample):
    # The French newsroom has no items yet: the English ones are not translated.
    translate(news_item(title="Soon gone"), "fr").unpublish()
    page = soup(client.get("/fr/news/"))
    assert titles(page) == []
    with translation.override("fr"):
        assert gettext("No news yet.") in page.select_one(".newsroom__empty").get_text()


def test_the_form_works_without_javascript_and_keeps_choices(client, sample):
    page = soup(client.get(f"{NEWSROOM}?country=finland&from=2020-01-01&q=helsinki"))
    assert titles(page) == titles_of(sample, "helsinki")
    form = page.select_one("form.news-filters")
    assert form["method"] == "get"
    assert form["action"] == NEWSROOM
    assert form.select_one("input[name=country][value=finland]").has_attr("checked")
    assert not form.select_one("input[name=country][value=malta]").has_attr("checked")
    assert form.select_one("input[name=from]")["value"] == "2020-01-01"
    assert form.select_one("input[name=q]")["value"] == "helsinki"
    assert form.select_one("button[type=submit]")


def test_unknown_filter_values_are_ignored_and_shown(client, sample):
    page = soup(client.get(f"{NEWSROOM}?field=no-such-field&issuer=nobody&type=elections"))
    assert total(page) == "8 items"
    messages = page.select_one(".news-filters__messages").get_text(" ", strip=True)
    assert "Field of work “no-such-field” is not known" in messages
    assert "Issued by “nobody” is not known" in messages
    assert "Content type “elections” is not known" in messages


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2024-13-45", "“2024-13-45” is not a valid “from” date"),
        ("to=yesterday", "“yesterday” is not a valid “to” date"),
        ("from=2024-01-01T00:00", "is not a valid “from” date"),
        ("from=2025-01-01&to=2024-01-01", "The “from” date is after the “to” date"),
    ],
)
def test_malformed_dates_give_a_message_not_an_error(client, sample, query, message):
    page = soup(client.get(f"{NEWSROOM}?{query}"))
    assert message in page.select_one(".news-filters__messages").get_text()
    assert total(page) == "8 items"


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced quote',
        "terror* AND NOT (osce OR",
        "'; DROP TABLE wagtailcore_page; --",
        "x" * 5000,
        "Москва выборы",
        "🕊️ peace",
        "NEAR(osce helsinki) title:osce {body}",
        "\x00\x01",
    ],
)
def test_odd_queries_answer_normally(client, sample, q):
    page = soup(client.get(NEWSROOM, {"q": q, "field": "elections"}))
    assert total(page) in ("0 items", "1 item", "2 items")
    assert page.select_one("input[name=field][value=elections]").has_attr("checked")


def test_page_numbers(client, sample):
    # 25 items older than the sample's eight: 33 in all, on two pages.
    items = many_news_items(25)
    everything = titles_of(sample, *sample.items) + [item.title for item in reversed(items)]
    assert client.get(f"{NEWSROOM}?page=abc").status_code == 404
    assert client.get(f"{NEWSROOM}?page=0").status_code == 404
    assert titles(soup(client.get(NEWSROOM))) == everything[:20]
    last = soup(client.get(f"{NEWSROOM}?page=2"))
    assert titles(last) == everything[20:]
    beyond = soup(client.get(f"{NEWSROOM}?page=999999999999999999999"))
    assert titles(beyond) == titles(last)
    assert "Page 2 of 2" in beyond.select_one(".pagination").get_text()


def test_pagination_keeps_the_filters(client, sample):
    # With the sample's one item on countering terrorism: 26 on two pages.
    items = many_news_items(
        25, issued_by=sample.structures["tntd"], field=sample.fields["terrorism"]
    )
    page = soup(client.get(f"{NEWSROOM}?field=countering-terrorism"))
    assert total(page) == "26 items"
    assert titles(page)[0] == sample.items["fighters"].title
    assert len(titles(page)) == 20
    href = page.select_one(".pagination a[rel=next]")["href"]
    assert href == "?field=countering-terrorism&page=2"
    second = titles(soup(client.get(NEWSROOM + href)))
    assert second == [item.title for item in reversed(items[:6])]


def test_counts_follow_publishing(client, sample):
    assert total(soup(client.get(f"{NEWSROOM}?field=elections"))) == "2 items"
    item = news_item(title="Observers arrive", fields=[sample.fields["elections"]])
    page = soup(client.get(f"{NEWSROOM}?field=elections"))
    assert total(page) == "3 items"
    assert count_of(page, "field", "elections") == 3
    item.unpublish()
    page = soup(client.get(f"{NEWSROOM}?field=elections"))
    assert total(page) == "2 items"
    assert "Observers arrive" not in titles(page)


def test_hubs_link_to_the_newsroom_filtered_on_them(client, sample):
    field_page = FieldOfWorkPageFactory(title="Elections", field_of_work=sample.fields["elections"])
    hubs = [
        (sample.structures["secretariat"], ["helsinki", "fighters"]),
        (field_page, ["georgia", "youth"]),
        (sample.countries["finland"], ["helsinki", "chair"]),
    ]
    for hub, expected in hubs:
        page = soup(client.get(hub.url))
        link = page.find("a", href=lambda h: h and h.startswith(NEWSROOM + "?"))
        assert link is not None, hub.url
        listing = soup(client.get(link["href"]))
        assert titles(listing) == titles_of(sample, *expected), hub.url
        assert not listing.select(".news-filters__messages")


def test_filtered_listing_costs_the_same_queries_for_any_number_of_items(client, sample):
    url = f"{NEWSROOM}?field=countering-terrorism&issuer=secretariat&from=2000-01-01"
    unit = sample.structures["tntd"]
    term = sample.fields["terrorism"]

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        return len(context.captured_queries), soup(response)

    many_news_items(2, issued_by=unit, field=term)
    few, page = queries()
    assert total(page) == "3 items"
    many_news_items(30, issued_by=unit, field=term)
    many, page = queries()
    assert total(page) == "33 items"
    assert len(titles(page)) == 20
    assert many == few


def test_filters_use_translation_keys_so_translated_items_are_found(client, sample):
    # A translated item keeps pointing at the English term; filtering matches by key.
    term = sample.fields["policing"]
    other = sample.fields["elections"]
    item = news_item(title="Community policing forum", fields=[term])
    french = translate(item, "fr")
    french.title = "Forum sur la police de proximité"
    french.save_revision().publish()
    translate(news_item(title="Scrutin", fields=[other]), "fr")
    assert list(NewsItemPage.objects.filter(fields_of_work__translation_key=term.translation_key))
    english = titles(soup(client.get(f"{NEWSROOM}?field=policing")))
    assert english == ["Community policing forum", sample.items["policing"].title]
    french_page = soup(client.get("/fr/news/?field=policing"))
    assert titles(french_page) == ["Forum sur la police de proximité"]
