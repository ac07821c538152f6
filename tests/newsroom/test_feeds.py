"""RSS and Atom feeds of the newsroom, for any filter combination."""

import feedparser
import pytest
from bs4 import BeautifulSoup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


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
def test_feeds_parse_without_errors_and_list_the_newest_items(client, url, kind):
    response, feed = parse(client, url)
    assert response["Content-Type"].startswith(kind)
    assert feed.version in ("rss20", "atom10")
    assert len(feed.entries) == 7
    first = feed.entries[0]
    assert first.title == "Fifty years of the Helsinki Final Act"
    assert first.link == "http://testserver/en/news/fifty-years-of-the-helsinki-final-act/"
    assert first.published_parsed[:3] == (2025, 8, 1)
    assert "OSCE Secretariat" in first.author
    assert {tag.term for tag in first.tags} >= {"Arms control"}
    assert first.summary


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_honour_filters(client, kind):
    _response, feed = parse(client, f"/en/news/feed/{kind}/?country=finland&type=press-release")
    assert [e.title for e in feed.entries] == ["Finland takes over OSCE Chairpersonship for 2025"]
    assert "Finland" in feed.feed.title
    assert feed.feed.link.endswith("/en/news/?country=finland&type=press-release")


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_empty_and_odd_feeds_are_still_valid(client, kind):
    _response, feed = parse(client, f"/en/news/feed/{kind}/?field=elections&country=finland")
    assert feed.entries == []
    parse(client, f"/en/news/feed/{kind}/?from=nonsense&field=unknown&q=%22%27%3B--")


def test_listing_advertises_the_feeds_of_its_filters(client):
    page = BeautifulSoup(client.get("/en/news/?field=elections").content, "html.parser")
    links = {link["type"]: link["href"] for link in page.select("head link[rel=alternate][type]")}
    assert links["application/rss+xml"] == "/en/news/feed/rss/?field=elections"
    assert links["application/atom+xml"] == "/en/news/feed/atom/?field=elections"
    _response, feed = parse(client, links["application/atom+xml"])
    assert len(feed.entries) == 2
