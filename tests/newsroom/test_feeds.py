"""RSS and Atom feeds of the newsroom, for any filter combination.

The tests read the small newsroom of ``tests.factories.sample_newsroom``, built once for
the module; each test runs in a savepoint of it.
"""

import feedparser
import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from newsroom import feeds
from tests.factories import many_news_items, sample_newsroom
from tests.snapshot import module_data

pytestmark = pytest.mark.django_db


built_once = module_data(sample_newsroom)


@pytest.fixture(autouse=True)
def sample(built_once, db):
    return built_once


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("/en/news/feed/rss/", "application/rss+xml"),
        ("/en/news/feed/atom/", "application/atom+xml"),
    ],
)
def test_feeds_parse_without_errors_and_list_the_newest_items(client, sample, url, kind):
    response, feed = parse(client, url)
    assert response["Content-Type"].startswith(kind)
    assert feed.version in ("rss20", "atom10")
    assert [e.title for e in feed.entries] == [item.title for item in sample.items.values()]
    first = feed.entries[0]
    assert first.title == "Fifty years of the Helsinki Final Act"
    assert first.link == Site.objects.get(is_default_site=True).root_url + (
        "/en/news/fifty-years-of-the-helsinki-final-act/"
    )
    assert first.published_parsed[:3] == (2025, 8, 1)
    assert "OSCE Secretariat" in first.author
    fields = {tag.term for tag in first.tags}
    assert fields == {"Arms control", "Conflict prevention and resolution"}
    assert first.summary == "The OSCE marks fifty years of the Helsinki Final Act."
    # A unit is named after its structure, as on the cards.
    fighters = next(e for e in feed.entries if e.title == sample.items["fighters"].title)
    assert fighters.author == "OSCE Secretariat, Transnational Threats Department"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_honour_filters(client, sample, kind):
    _response, feed = parse(client, f"/en/news/feed/{kind}/?country=finland&type=press-release")
    assert [e.title for e in feed.entries] == ["Finland takes over OSCE Chairpersonship for 2025"]
    assert "Finland" in feed.feed.title
    assert feed.feed.link.endswith("/en/news/?country=finland&type=press-release")
    _response, feed = parse(client, f"/en/news/feed/{kind}/?issuer=secretariat")
    assert [e.title for e in feed.entries] == [
        sample.items["helsinki"].title,
        sample.items["fighters"].title,
    ]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_hold_the_newest_items_only(client, sample, kind, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_SIZE", 10)  # 50 on the site
    items = many_news_items(5)
    _response, feed = parse(client, f"/en/news/feed/{kind}/")
    # The sample's eight are newer than the five: the three oldest are left out.
    newest = [item.title for item in sample.items.values()]
    newest += [item.title for item in reversed(items)]
    assert [e.title for e in feed.entries] == newest[:10]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_empty_and_odd_feeds_are_still_valid(client, sample, kind):
    _response, feed = parse(client, f"/en/news/feed/{kind}/?field=elections&country=finland")
    assert feed.entries == []
    _response, feed = parse(
        client, f"/en/news/feed/{kind}/?from=nonsense&field=unknown&q=%22%27%3B--"
    )
    assert len(feed.entries) == len(sample.items)


def test_listing_advertises_the_feeds_of_its_filters(client, sample):
    page = BeautifulSoup(client.get("/en/news/?field=elections").content, "html.parser")
    links = {link["type"]: link["href"] for link in page.select("head link[rel=alternate][type]")}
    assert links["application/rss+xml"] == "/en/news/feed/rss/?field=elections"
    assert links["application/atom+xml"] == "/en/news/feed/atom/?field=elections"
    _response, feed = parse(client, links["application/atom+xml"])
    assert [e.title for e in feed.entries] == [
        sample.items["georgia"].title,
        sample.items["youth"].title,
    ]
