"""Text pasted from a word processor (U+000B, a manual line break) reaches feeds, JSON-LD
and pages cleaned: nothing answers 500, nothing the reader could see is lost."""

import json

import feedparser
import pytest

from newsroom.importer import Importer
from newsroom.models import NewsItemPage
from tests.factories import InstitutionPageFactory, news_item, newsroom

pytestmark = pytest.mark.django_db

PASTED_TITLE = "Ministers meet\x0bin Vienna\x07"
PASTED_LEAD = "First line.\x0bSecond line.\x0c"


def test_an_editors_pasted_line_break_is_kept_as_a_break_not_as_a_forbidden_character():
    item = news_item(title=PASTED_TITLE, lead=PASTED_LEAD)
    item.refresh_from_db()
    assert item.title == "Ministers meet in Vienna"
    assert item.lead == "First line.\nSecond line.\n"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_stay_valid_with_text_saved_before_cleaning(client, kind):
    item = news_item(title="Ministers meet")
    # As a row written before text was cleaned on save.
    NewsItemPage.objects.filter(pk=item.pk).update(title=PASTED_TITLE, lead=PASTED_LEAD)
    response = client.get(f"/en/news/feed/{kind}/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.entries[0].title == "Ministers meet in Vienna"


def test_the_news_item_page_carries_no_forbidden_character(client):
    item = news_item(title=PASTED_TITLE, lead=PASTED_LEAD)
    html = client.get(item.url).content.decode()
    assert "\x0b" not in html and "\x07" not in html
    assert "Ministers meet in Vienna" in html


def test_structured_data_stays_valid_json_with_text_saved_before_cleaning(client):
    item = news_item(title="Ministers meet")
    NewsItemPage.objects.filter(pk=item.pk).update(lead=PASTED_LEAD)
    response = client.get(item.url)
    assert response.status_code == 200
    html = response.content.decode()
    block = html.split('type="application/ld+json">')[1].split("</script>")[0]
    graph = json.loads(block)["@graph"]
    assert any(node.get("description") == PASTED_LEAD for node in graph)


def test_imported_text_is_cleaned_the_same_way():
    InstitutionPageFactory(title="Secretariat", issuer_name="OSCE Secretariat")
    newsroom()
    line = {
        "slug": "pasted",
        "title": PASTED_TITLE,
        "lead": PASTED_LEAD,
        "body": ["A paragraph\x0bwith a break."],
        "issued_on": "2024-05-02",
        "issuer": "secretariat",
    }
    summary = Importer().run([json.dumps(line) + "\n"])
    assert summary.created == 1, summary.errors
    item = NewsItemPage.objects.get(slug="pasted")
    assert item.title == "Ministers meet in Vienna"
    assert "\x0b" not in item.lead and "\x0b" not in json.dumps(item.body.get_prep_value())
