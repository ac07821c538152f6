"""Search through its fast paths: what readers see matches the plain join, and stays right
when editors publish, unpublish, restrict, move or delete pages."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, PageViewRestriction

from newsroom import fulltext
from newsroom.fulltext import NEWEST, RELEVANCE, TextMatch
from tests.factories import news_item, newsroom

pytestmark = pytest.mark.django_db

SEARCH = "/en/search/"
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the fast paths are SQLite's"
)


@pytest.fixture(params=["join", "fast"])
def path(request, monkeypatch):
    """Every test runs on the plain join and on the fast paths (as at 100,000 items)."""
    if request.param == "fast":
        if connection.vendor != "sqlite":
            pytest.skip("the fast paths are SQLite's")
        monkeypatch.setattr(fulltext, "JOIN_LIMIT", 0)
    return request.param


def page(client, url=SEARCH, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def titles(soup):
    return [" ".join(h.get_text().split()) for h in soup.select(".search-result h2")]


def summary(soup):
    found = soup.select_one(".search-summary")
    return found.get_text(strip=True) if found else None


def test_only_live_public_pages_of_the_readers_language(client, path):
    news_item(title="Zirconium audit", issued_on=datetime.date(2024, 3, 1))
    news_item(title="Second zirconium audit", issued_on=datetime.date(2024, 4, 1))
    news_item(title="Zirconium draft").unpublish()
    secret = news_item(title="Zirconium secret")
    PageViewRestriction.objects.create(page=secret, restriction_type="password", password="x")
    news_item(newsroom("fr"), title="Audit du zirconium")
    for order in (RELEVANCE, NEWEST):
        soup = page(client, q="zirconium", order=order)
        assert sorted(titles(soup)) == ["Second zirconium audit", "Zirconium audit"]
        assert summary(soup) == "2 results"
    assert titles(page(client, "/fr/search/", q="zirconium")) == ["Audit du zirconium"]


def test_order_and_count(client, path):
    news_item(title="Obsidian", lead="Obsidian obsidian.", issued_on=datetime.date(2019, 1, 1))
    news_item(title="Annual review", lead="Obsidian once.", issued_on=datetime.date(2023, 1, 1))
    news_item(title="Field notes", lead="Obsidian, obsidian.", issued_on=datetime.date(2021, 1, 1))
    relevant = page(client, q="obsidian")
    assert titles(relevant)[0] == "Obsidian"
    assert summary(relevant) == "3 results"
    newest = page(client, q="obsidian", order="newest")
    assert titles(newest) == ["Annual review", "Field notes", "Obsidian"]


def test_fast_paths_agree_with_the_join(monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("the fast paths are SQLite's")
    for n in range(30):
        news_item(
            title=f"Basalt survey {n}" if n % 3 else f"OSCE report {n}",
            lead="Basalt " * (1 + n % 5) + "and granite.",
            issued_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=7 * (n % 11)),
        )
    english = Locale.objects.get(language_code="en")
    assert TextMatch("osce").count(english) == 10
    for words in ("basalt", "granite basalt", "osce", "nowhere"):
        expected = TextMatch(words)
        monkeypatch.setattr(fulltext, "JOIN_LIMIT", 0)
        fast = TextMatch(words)
        assert fast.count(english) == expected.count(english)
        for order in (RELEVANCE, NEWEST):
            for offset, limit in ((0, 100), (5, 10), (25, 20)):
                assert fast.ranked_ids(english, order, offset, limit) == expected.ranked_ids(
                    english, order, offset, limit
                )
        monkeypatch.setattr(fulltext, "JOIN_LIMIT", 3_000)


@sqlite_only
def test_words_in_very_many_pages_rank_the_newest_matches_first(client, monkeypatch):
    monkeypatch.setattr(fulltext, "JOIN_LIMIT", 0)
    monkeypatch.setattr(fulltext, "RANK_WINDOW", 3)
    older = [news_item(title=f"Feldspar {n}", lead="Feldspar feldspar.") for n in range(3)]
    newer = [news_item(title=f"Note {n}", lead="A feldspar.") for n in range(3)]
    found = titles(page(client, q="feldspar"))
    # The three most recently indexed matches are ranked first, then the older ones.
    assert sorted(found[:3]) == sorted(item.title for item in newer)
    assert sorted(found[3:]) == sorted(item.title for item in older)
    assert summary(page(client, q="feldspar")) == "6 results"
    english = Locale.objects.get(language_code="en")
    match = TextMatch("feldspar")
    whole = match.ranked_ids(english, RELEVANCE, 0, 100)
    pages = [match.ranked_ids(english, RELEVANCE, start, 2) for start in (0, 2, 4)]
    assert [pk for part in pages for pk in part] == whole


def test_editors_changes_show_at_once(client, path):
    kept = news_item(title="Cobalt bulletin")
    gone = news_item(title="Cobalt notice")
    moved = news_item(title="Cobalt brief")
    assert summary(page(client, q="cobalt")) == "3 results"
    gone.delete()
    section = news_item(title="Archive")
    PageViewRestriction.objects.create(page=section, restriction_type="password", password="x")
    moved.move(section, pos="last-child")
    assert titles(page(client, q="cobalt")) == [kept.title]
    assert summary(page(client, q="cobalt")) == "1 result"
    kept.unpublish()
    assert titles(page(client, q="cobalt")) == []
    moved.refresh_from_db()
    moved.move(newsroom(), pos="last-child")
    assert titles(page(client, q="cobalt")) == [moved.title]


def test_query_count_does_not_grow_with_the_results(client, path):
    def queries(q):
        client.get(SEARCH, {"q": q})  # caches the navigation and the Query row
        client.get(SEARCH, {"q": q + " x"})
        with CaptureQueriesContext(connection) as context:
            assert client.get(SEARCH, {"q": q, "order": NEWEST}).status_code == 200
        return len(context.captured_queries)

    news_item(title="Gneiss note")
    for n in range(25):
        news_item(title=f"Schist note {n}")
    assert queries("schist") == queries("gneiss")
