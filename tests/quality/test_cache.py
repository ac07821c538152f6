"""Anonymous readers get cached pages; publishing shows up at once; editors are never cached."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page

from directory.models import CountryPage
from home.models import StandardPage
from newsroom.models import NewsIndexPage, NewsItemPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo", "page_cache")]


def english_news_item():
    return NewsItemPage.objects.live().filter(locale__language_code="en").order_by("pk").first()


def publish_title(page, title):
    page = page.specific
    page.title = title
    page.save_revision().publish()
    return page


def test_a_second_anonymous_visit_is_served_from_the_cache_without_a_query(client):
    url = english_news_item().url
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert len(queries) == 0
    assert "public" in second["Cache-Control"]


def test_publishing_a_news_item_refreshes_it_its_newsroom_and_the_home_page(client):
    item = english_news_item()
    newsroom = NewsIndexPage.objects.get(locale__language_code="en")
    urls = [item.url, newsroom.url, "/en/"]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"

    publish_title(item, "Breaking: a new headline for readers")

    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Breaking: a new headline for readers" in response.text, url


def test_a_news_item_publish_leaves_unrelated_pages_cached(client):
    about = StandardPage.objects.live().filter(locale__language_code="en").first()
    client.get(about.url)
    publish_title(english_news_item(), "Another headline")
    assert client.get(about.url)["X-Page-Cache"] == "hit"


def test_renaming_a_section_refreshes_every_page_whose_menu_or_breadcrumbs_show_it(client):
    country = CountryPage.objects.live().filter(locale__language_code="en").first()
    section = country.get_parent()
    for url in (country.url, "/en/"):
        client.get(url)

    publish_title(section, "Participating States of the Organization")

    response = client.get(country.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Participating States of the Organization" in response.text


def test_unpublishing_a_page_removes_it_and_its_cards_at_once(client):
    country = CountryPage.objects.live().filter(locale__language_code="en").first()
    listing = country.get_parent().url
    client.get(country.url)
    assert country.title in client.get(listing).text

    country.unpublish()

    assert client.get(country.url).status_code == 404
    assert f">{country.title}<" not in client.get(listing).text


def test_moving_a_page_serves_it_at_its_new_address_only(client):
    page = StandardPage.objects.live().filter(locale__language_code="en", depth__gt=3).first()
    old_url = page.url
    assert client.get(old_url).status_code == 200
    home = Page.objects.get(pk=NewsIndexPage.objects.get(locale__language_code="en").pk)
    page.move(home.get_parent(), pos="last-child")
    page.refresh_from_db()
    assert page.url != old_url
    assert client.get(old_url).status_code in (301, 302, 404)
    assert client.get(page.url).status_code == 200


def test_logged_in_editors_are_never_served_or_stored_in_the_cache(client):
    url = english_news_item().url
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    editor = User.objects.create_superuser("cache-editor", "e@example.org", "pw")
    client.force_login(editor)
    response = client.get(url)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert "wagtail-userbar" in response.text

    client.logout()
    assert "wagtail-userbar" not in client.get(url).text


def test_previews_are_never_cached(client):
    item = english_news_item()
    client.get(item.url)
    editor = User.objects.create_superuser("preview-editor", "p@example.org", "pw")
    client.force_login(editor)
    item.title = "A draft nobody may see yet"
    revision = item.save_revision()
    url = reverse("wagtailadmin_pages:revisions_view", args=[item.pk, revision.pk])
    for _visit in range(2):
        preview = client.get(url)
        assert preview.status_code == 200
        assert "A draft nobody may see yet" in preview.text
        assert "X-Page-Cache" not in preview
    client.logout()
    assert "A draft nobody may see yet" not in client.get(item.url).text


def test_search_results_and_the_admin_are_not_cached(client):
    client.get("/en/search/?q=OSCE")
    assert "X-Page-Cache" not in client.get("/en/search/?q=OSCE")
    assert "X-Page-Cache" not in client.get("/admin/login/")


def test_each_query_string_is_cached_separately(client):
    newsroom = NewsIndexPage.objects.get(locale__language_code="en").url
    client.get(newsroom)
    filtered = client.get(f"{newsroom}?page=1")
    assert filtered["X-Page-Cache"] == "miss"


def test_pages_are_still_served_when_redis_is_down(client, settings):
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "home.resilience.TolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    settings.PAGE_CACHE_ALIAS = "pages"
    try:
        url = english_news_item().url
        for _attempt in range(2):
            response = client.get(url)
            assert response.status_code == 200
            assert response["X-Page-Cache"] == "miss"
        publish_title(english_news_item(), "Published while Redis is away")
        assert "Published while Redis is away" in client.get(url).text
    finally:
        caches["pages"].close()
        del caches["pages"]
        cache.clear()


def test_a_publish_while_a_page_is_being_built_leaves_that_copy_stale(client, rf):
    from django.contrib.auth.models import AnonymousUser

    from home.cache import NEWS_TAG, PageCacheMiddleware, bump

    item = english_news_item()
    url = item.url
    rendered = HttpResponse("the news item")
    rendered.context_data = {"page": Page.objects.get(pk=item.pk)}

    def render_while_news_is_published(request):
        bump(NEWS_TAG)
        return rendered

    calls = []

    def render(request):
        calls.append(request)
        return rendered

    request = rf.get(url)
    request.user = AnonymousUser()
    PageCacheMiddleware(render_while_news_is_published)(request)
    PageCacheMiddleware(render)(request)
    assert len(calls) == 1, "the copy built before the publish was served"
