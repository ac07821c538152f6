"""The facet index behind the newsroom: pages, dates and counts, kept right as editors work."""

import datetime
import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, PageViewRestriction

from newsroom.facets import FacetIndex, build_indexes, facet_index, forget_facet_indexes
from newsroom.models import NewsItemPage
from tests.factories import FieldOfWorkFactory, many_news_items, news_item, translate

NEWSROOM = "/en/news/"


def titles(response):
    from bs4 import BeautifulSoup

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in page.select(".news-card__title a")]


def test_pages_of_a_mask_are_its_set_bits_in_order():
    size = 5000
    ids = list(range(10_000, 10_000 + size))
    index = FacetIndex(ids, [0] * size, {})
    rng = random.Random(7)
    chosen = sorted(rng.sample(range(size), 1234))
    mask = sum(1 << n for n in chosen)
    expected = [ids[n] for n in chosen]
    for start in (0, 1, 7, 8, 9, 500, 1200, 1230, 1234, 2000):
        assert index.page(mask, start, start + 20) == expected[start : start + 20]
    assert index.page(0, 0, 20) == []
    assert index.page(index.everything, size - 3, size + 20) == ids[-3:]


def test_date_ranges_are_runs_of_the_newest_first_numbering():
    days = [datetime.date(2024, 12, 31) - datetime.timedelta(days=n) for n in range(400)]
    index = FacetIndex(list(range(400)), [-d.toordinal() for d in days], {})

    def numbers(mask):
        return [n for n in range(400) if mask >> n & 1]

    march = numbers(index.dates(datetime.date(2024, 3, 1), datetime.date(2024, 3, 31)))
    assert [days[n] for n in march] == [datetime.date(2024, 3, 31 - n) for n in range(31)]
    assert numbers(index.dates(date_to=datetime.date(2023, 12, 1))) == list(range(396, 400))
    assert numbers(index.dates(date_from=datetime.date(2024, 12, 30))) == [0, 1]
    assert index.dates(datetime.date(2030, 1, 1), datetime.date(2030, 2, 1)) == 0


@pytest.mark.django_db
def test_the_index_numbers_each_language_newest_first():
    day = datetime.date(2024, 5, 1)
    older = news_item(title="Older", issued_on=day - datetime.timedelta(days=30))
    first_of_day = news_item(title="First of the day", issued_on=day)
    second_of_day = news_item(title="Second of the day", issued_on=day)
    newest = news_item(title="Newest", issued_on=day + datetime.timedelta(days=1))
    news_item(title="Withdrawn", issued_on=day + datetime.timedelta(days=2)).unpublish()
    russian_older = translate(older, "ru")
    russian_newest = translate(newest, "ru")
    only_in_english = news_item(title="Withdrawn in Russian", issued_on=day)
    translate(only_in_english, "ru").unpublish()

    indexes = build_indexes()
    english = Locale.objects.get(language_code="en")
    # Newest first; on the same day the later created (higher id) first.
    assert list(indexes[english.pk].ids) == [
        newest.pk,
        only_in_english.pk,
        second_of_day.pk,
        first_of_day.pk,
        older.pk,
    ]
    russian = Locale.objects.get(language_code="ru")
    assert list(indexes[russian.pk].ids) == [russian_newest.pk, russian_older.pk]
    # A language without news has an empty index.
    french = Locale.objects.get_or_create(language_code="fr")[0]
    assert list(build_indexes()[french.pk].ids) == []


@pytest.mark.django_db
def test_a_deep_page_shows_the_same_items_as_reading_the_whole_list(client):
    items = many_news_items(45)
    everything = list(
        NewsItemPage.objects.listed(Locale.get_default())
        .order_by("-issued_on", "-pk")
        .values_list("title", flat=True)
    )
    assert everything == [item.title for item in reversed(items)]
    assert titles(client.get(NEWSROOM + "?page=3")) == everything[40:60]
    assert titles(client.get(NEWSROOM + "?page=2")) == everything[20:40]


@pytest.mark.django_db
def test_an_item_put_behind_a_login_leaves_the_newsroom(client):
    item = news_item(title="Internal briefing")
    assert "Internal briefing" in titles(client.get(NEWSROOM))
    PageViewRestriction.objects.create(page=item, restriction_type=PageViewRestriction.LOGIN)
    assert "Internal briefing" not in titles(client.get(NEWSROOM))


@pytest.mark.django_db
def test_a_deleted_item_leaves_the_newsroom(client):
    item = news_item(title="Withdrawn statement")
    assert "Withdrawn statement" in titles(client.get(NEWSROOM))
    item.delete()
    assert "Withdrawn statement" not in titles(client.get(NEWSROOM))


@pytest.mark.django_db
def test_after_a_cache_flush_no_process_reuses_an_old_index(client):
    english = Locale.get_default()
    before = facet_index(english)
    cache.clear()
    news_item(title="Published while the cache was empty")
    assert "Published while the cache was empty" in titles(client.get(NEWSROOM))
    assert facet_index(english) is not before


@pytest.mark.django_db
def test_publishing_rebuilds_the_index_so_the_next_reader_does_not(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        elections = FieldOfWorkFactory(name="Elections")
        news_item(title="Earlier election news", fields=[elections])
        news_item(title="Observers deployed", fields=[elections])
    # One rebuild, however many signals the changes of one transaction sent.
    assert [c.__name__ for c in callbacks].count("_after_commit") == 1
    forget_facet_indexes()  # the next reader is served by another process
    with CaptureQueriesContext(connection) as context:
        response = client.get(NEWSROOM + "?field=elections")
    assert titles(response) == ["Observers deployed", "Earlier election news"]
    whole_relation = [
        q["sql"]
        for q in context.captured_queries
        if "newsroom_newsitempage_fields_of_work" in q["sql"] and "WHERE" not in q["sql"]
    ]
    assert whole_relation == []


def test_a_word_matches_the_same_items_however_many_it_matches():
    size = 9000
    rng = random.Random(3)
    ids = rng.sample(range(1, 50_000), size)
    index = FacetIndex(ids, [0] * size, {})
    for count in (0, 3, 4999, 5001, 8000):
        chosen = rng.sample(ids, count) + [60_000, 0]  # and two ids the index does not hold
        mask = index.matching(chosen)
        assert {ids[n] for n in range(size) if mask >> n & 1} == set(chosen) - {60_000, 0}
