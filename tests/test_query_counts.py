"""Pages cost a fixed number of SQL queries, however many news items exist.

Django skips the prefetch queries of an empty list, so a news item's page whose
related news list is empty (the first item alone has none) costs a few queries
fewer; from the first listed item on, the count is fixed. Both are asserted, on a
small site built for the test, together with a cap that no page may exceed.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import InstitutionPage
from tests.factories import (
    CountryPageFactory,
    FieldOfWorkFactory,
    FieldOfWorkPageFactory,
    InstitutionPageFactory,
    home,
    many_news_items,
    news_item,
    newsroom,
)

pytestmark = pytest.mark.django_db

# No page may cost more, whatever the content (with a warm menu cache). On this small
# site the costliest page, a news item with related news, takes 31; on the full demo
# (a larger menu) 33.
MAX_QUERIES = 35


def queries(client, url):
    client.get(url)  # fills the menu cache
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.fixture
def site():
    secretariat = InstitutionPageFactory(
        title="Secretariat", kind=InstitutionPage.Kind.SECRETARIAT, issuer_name="OSCE Secretariat"
    )
    unit = InstitutionPageFactory(title="Transnational Threats Department", parent=secretariat)
    term = FieldOfWorkFactory(name="Countering terrorism")
    field_page = FieldOfWorkPageFactory(title="Countering terrorism", field_of_work=term)
    country = CountryPageFactory(title="Tajikistan")
    first = news_item(
        title="Expert dialogue on returnees",
        issued_on=datetime.date(2021, 9, 17),
        issued_by=[unit],
        fields=[term],
        countries=[country],
    )
    urls = {
        "home": home().url,
        "country": country.url,
        "news item": first.url,
        "newsroom": newsroom().url,
        "field of work": field_page.url,
        "structure": secretariat.url,
    }

    def more(count):
        many_news_items(count, issued_by=unit, field=term, countries=[country])

    return urls, more


def measure(client, urls):
    cache.clear()
    return {name: queries(client, url) for name, url in urls.items()}


def test_query_counts_do_not_grow_with_the_number_of_news_items(client, site):
    urls, more = site
    with_one = measure(client, urls)
    more(1)
    with_two = measure(client, urls)
    more(20)  # more than a page of the newsroom
    with_many = measure(client, urls)

    assert with_two == with_many
    # With one item, only its own page differs: its related news list is empty.
    assert {**with_one, "news item": with_two["news item"]} == with_two
    assert with_one["news item"] < with_two["news item"]
    assert max(with_many.values()) <= MAX_QUERIES, with_many


def test_the_listed_items_are_really_there(client, site):
    # The counts above are only worth something if the pages list the items.
    urls, more = site
    more(10)
    for name in ("home", "country", "newsroom", "field of work", "structure"):
        content = client.get(urls[name]).content.decode()
        assert "Test item 9" in content, name
    assert "Test item 9" in client.get(urls["news item"]).content.decode()  # related news
