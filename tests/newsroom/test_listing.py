"""The newsroom listing: filters, facet counts, removing filters and bad input."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import FieldOfWork, FieldOfWorkPage, InstitutionPage
from newsroom.models import NewsItemPage
from tests.factories import many_news_items, news_item

pytestmark = pytest.mark.django_db

NEWSROOM = "/en/news/"


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


def test_listing_shows_newest_first_with_date_issuer_fields_and_lead(client):
    page = soup(client.get(NEWSROOM))
    assert total(page) == "7 items"
    assert titles(page)[:2] == [
        "Fifty years of the Helsinki Final Act",
        "Finland takes over OSCE Chairpersonship for 2025",
    ]
    first = page.select_one(".news-card")
    assert first.select_one("time")["datetime"] == "2025-08-01"
    assert "OSCE Secretariat" in first.select_one(".news-card__issuer").get_text()
    assert "Arms control" in [li.get_text(strip=True) for li in first.select(".tags li")]
    assert first.select_one(".news-card__lead").get_text(strip=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("field=conflict-prevention-and-resolution", 4),
        ("field=elections&field=countering-terrorism", 3),
        ("field=conflict-prevention-and-resolution&country=finland", 2),
        ("country=finland&country=malta", 3),
        ("issuer=secretariat", 2),
        ("issuer=transnational-threats-department", 1),
        ("type=press-release", 3),
        ("type=press-release&type=feature", 5),
        ("from=2024-01-01&to=2024-12-31", 3),
        ("from=2025-01-01", 2),
        ("q=terrorist", 1),
        ("q=OSCE&issuer=chairpersonship", 3),
        ("field=democratization&issuer=mission-in-kosovo&to=2024-07-01", 1),
    ],
)
def test_filters_combine_or_within_and_across(client, query, expected):
    page = soup(client.get(f"{NEWSROOM}?{query}"))
    assert len(titles(page)) == expected
    assert total(page) == f"{expected} item{'s' if expected != 1 else ''}"


def test_a_structure_includes_its_units(client):
    page = soup(client.get(f"{NEWSROOM}?issuer=secretariat"))
    assert any("foreign terrorist fighters" in t for t in titles(page))
    assert count_of(page, "issuer", "secretariat") == 2
    assert count_of(page, "issuer", "transnational-threats-department") == 1


def test_facet_counts_apply_the_other_filters_but_not_their_own(client):
    page = soup(client.get(f"{NEWSROOM}?field=conflict-prevention-and-resolution"))
    # Other filters narrow the counts...
    assert count_of(page, "country", "finland") == 2
    assert count_of(page, "country", "malta") == 1
    assert count_of(page, "type", "press-release") == 2
    # ...a filter's own values say what choosing them too would match.
    assert count_of(page, "field", "elections") == 2
    assert count_of(page, "field", "conflict-prevention-and-resolution") == 4
    checked = page.select("input[name=field][checked]")
    assert [box["value"] for box in checked] == ["conflict-prevention-and-resolution"]


def test_active_filters_can_be_removed_one_by_one(client):
    page = soup(client.get(f"{NEWSROOM}?field=elections&country=georgia&q=observation"))
    chips = {a.get_text(" ", strip=True): a["href"] for a in page.select(".active-filters a")}
    assert chips["Field of work: Elections ×"] == "?country=georgia&q=observation"
    assert chips["Country: Georgia ×"] == "?field=elections&q=observation"
    assert chips["Words: observation ×"] == "?field=elections&country=georgia"
    assert chips["Clear all filters"] == NEWSROOM
    assert len(titles(soup(client.get(NEWSROOM + chips["Country: Georgia ×"])))) == 1


def test_no_results_says_so_and_offers_to_clear(client):
    page = soup(client.get(f"{NEWSROOM}?field=elections&country=finland"))
    assert titles(page) == []
    empty = page.select_one(".newsroom__empty")
    assert "No news matches these filters." in empty.get_text()
    assert empty.select_one("a")["href"] == NEWSROOM


def test_the_form_works_without_javascript_and_keeps_choices(client):
    page = soup(client.get(f"{NEWSROOM}?country=finland&from=2020-01-01&q=helsinki"))
    form = page.select_one("form.news-filters")
    assert form["method"] == "get"
    assert form["action"] == NEWSROOM
    assert form.select_one("input[name=country][value=finland]").has_attr("checked")
    assert form.select_one("input[name=from]")["value"] == "2020-01-01"
    assert form.select_one("input[name=q]")["value"] == "helsinki"
    assert form.select_one("button[type=submit]")


def test_unknown_filter_values_are_ignored_and_shown(client):
    page = soup(client.get(f"{NEWSROOM}?field=no-such-field&issuer=nobody&type=elections"))
    assert total(page) == "7 items"
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
def test_malformed_dates_give_a_message_not_an_error(client, query, message):
    page = soup(client.get(f"{NEWSROOM}?{query}"))
    assert message in page.select_one(".news-filters__messages").get_text()
    assert total(page) == "7 items"


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
def test_odd_queries_answer_normally(client, q):
    response = client.get(NEWSROOM, {"q": q, "field": "elections"})
    assert response.status_code == 200


def test_page_numbers(client):
    many_news_items(25)
    assert client.get(f"{NEWSROOM}?page=abc").status_code == 404
    assert client.get(f"{NEWSROOM}?page=0").status_code == 404
    last = soup(client.get(f"{NEWSROOM}?page=2"))
    beyond = soup(client.get(f"{NEWSROOM}?page=999999999999999999999"))
    assert titles(beyond) == titles(last)
    assert "Page 2 of 2" in beyond.select_one(".pagination").get_text()


def test_pagination_keeps_the_filters(client):
    many_news_items(25)
    page = soup(client.get(f"{NEWSROOM}?field=countering-terrorism"))
    assert total(page) == "26 items"
    href = page.select_one(".pagination a[rel=next]")["href"]
    assert href == "?field=countering-terrorism&page=2"
    assert len(titles(soup(client.get(NEWSROOM + href)))) == 6


def test_counts_follow_publishing(client):
    assert total(soup(client.get(f"{NEWSROOM}?field=elections"))) == "2 items"
    elections = FieldOfWork.objects.get(slug="elections", locale__language_code="en")
    item = news_item(title="Observers arrive", fields=[elections])
    assert total(soup(client.get(f"{NEWSROOM}?field=elections"))) == "3 items"
    item.unpublish()
    assert total(soup(client.get(f"{NEWSROOM}?field=elections"))) == "2 items"


def test_hubs_link_to_the_newsroom_filtered_on_them(client):
    secretariat = InstitutionPage.objects.get(slug="secretariat", locale__language_code="en")
    field_page = FieldOfWorkPage.objects.get(
        field_of_work__slug="elections", locale__language_code="en"
    )
    for hub, expected in ((secretariat, 2), (field_page, 2)):
        page = soup(client.get(hub.url))
        link = page.find("a", href=lambda h: h and h.startswith(NEWSROOM + "?"))
        assert link is not None, hub.url
        listing = soup(client.get(link["href"]))
        assert len(titles(listing)) == expected
        assert not listing.select(".news-filters__messages")


def test_filtered_listing_costs_the_same_queries_for_any_number_of_items(client):
    url = f"{NEWSROOM}?field=countering-terrorism&issuer=secretariat&from=2000-01-01"

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    many_news_items(2)
    few = queries()
    many_news_items(30)
    assert queries() == few


def test_filters_use_translation_keys_so_translated_items_are_found(client):
    # A translated item keeps pointing at the English term; filtering matches by key.
    term = FieldOfWork.objects.get(slug="policing", locale__language_code="en")
    news_item(title="Community policing forum", fields=[term])
    assert NewsItemPage.objects.filter(fields_of_work__translation_key=term.translation_key)
    page = soup(client.get(f"{NEWSROOM}?field=policing"))
    assert "Community policing forum" in titles(page)
