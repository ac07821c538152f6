"""Pages cost a fixed number of SQL queries, however many news items exist.

Django skips the prefetch queries of an empty list, so a page whose news list
is empty (the seed item alone has no related news) costs a few queries fewer;
from the first listed item on, the count is fixed. Both figures are asserted so
that a change in either shows up.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsroom.models import NewsItemPage
from tests.factories import many_news_items

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

URLS = {
    "home": "/en/",
    "country": "/en/countries/participating-states/tajikistan/",
    "news item": None,  # the seed's news item
    "newsroom": "/en/news/",
    "field of work": "/en/our-work/fields-of-work/countering-terrorism/",
}
# With a warm menu cache (the first request of the test fills it).
WITH_ONE_ITEM = {"home": 20, "country": 19, "news item": 30, "newsroom": 16, "field of work": 23}
WITH_MORE_ITEMS = {**WITH_ONE_ITEM, "news item": 33}


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def measure(client):
    seed = NewsItemPage.objects.filter(locale__language_code="en").order_by("pk").first()
    urls = {**URLS, "news item": seed.url}
    return {name: queries(client, url) for name, url in urls.items()}


def test_query_counts_do_not_grow_with_the_number_of_news_items(client):
    NewsItemPage.objects.exclude(slug__startswith="osce-hosts").delete()
    cache.clear()
    assert measure(client) == WITH_ONE_ITEM

    many_news_items(1)
    cache.clear()
    with_two = measure(client)
    many_news_items(48)
    cache.clear()
    with_fifty = measure(client)
    assert with_two == with_fifty == WITH_MORE_ITEMS
