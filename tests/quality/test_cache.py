"""Anonymous readers get cached pages; publishing shows up at once; editors are never cached."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache, caches
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from directory.models import InstitutionPage
from home.models import StandardPage
from tests.factories import (
    CountryPageFactory,
    FieldOfWorkPageFactory,
    InstitutionPageFactory,
    SectionIndexPageFactory,
    StandardPageFactory,
    home,
    news_item,
    newsroom,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def site():
    """A home page, a newsroom with two items, the structures, field and country of one."""
    secretariat = InstitutionPageFactory(
        title="Secretariat", kind=InstitutionPage.Kind.SECRETARIAT, issuer_name="OSCE Secretariat"
    )
    unit = InstitutionPageFactory(title="Transnational Threats Department", parent=secretariat)
    elections = FieldOfWorkPageFactory(title="Elections")
    finland = CountryPageFactory(title="Finland")
    about = StandardPageFactory(title="About us", parent=home())
    projects = SectionIndexPageFactory(title="Our work")
    deep = StandardPageFactory(title="Projects", parent=projects)
    item = news_item(
        title="Observers deployed",
        issued_by=[unit],
        fields=[elections.field_of_work],
        countries=[finland],
    )
    other = news_item(title="A statement on something else")
    return SimpleNamespace(
        home=home(),
        newsroom=newsroom(),
        item=item,
        other=other,
        secretariat=secretariat,
        unit=unit,
        elections=elections,
        finland=finland,
        about=about,
        deep=deep,
    )


def publish_title(page, title):
    page = Page.objects.get(pk=page.pk).specific
    page.title = title
    page.save_revision().publish()
    return page


def test_a_second_anonymous_visit_is_served_from_the_cache_without_a_query(client, site):
    url = site.item.url
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert len(queries) == 0
    assert "public" in second["Cache-Control"]


def test_publishing_a_news_item_refreshes_every_page_that_shows_it(client, site):
    urls = [
        site.item.url,
        site.newsroom.url,
        site.home.url,
        site.unit.url,
        site.secretariat.url,
        site.elections.url,
        site.finland.url,
    ]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url

    publish_title(site.item, "Breaking: a new headline for readers")

    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Breaking: a new headline for readers" in response.text, url


def test_a_news_item_publish_leaves_unrelated_pages_cached(client, site):
    client.get(site.about.url)
    publish_title(site.other, "Another headline")
    assert client.get(site.about.url)["X-Page-Cache"] == "hit"


def test_renaming_a_section_refreshes_every_page_whose_menu_or_breadcrumbs_show_it(client, site):
    section = site.finland.get_parent()
    for url in (site.finland.url, site.home.url):
        client.get(url)

    publish_title(section, "Participating States of the Organization")

    response = client.get(site.finland.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Participating States of the Organization" in response.text


def test_unpublishing_a_page_removes_it_and_its_cards_at_once(client, site):
    country = site.finland
    listing = country.get_parent().url
    client.get(country.url)
    assert country.title in client.get(listing).text

    country.unpublish()

    assert client.get(country.url).status_code == 404
    assert f">{country.title}<" not in client.get(listing).text


def test_moving_a_page_serves_it_at_its_new_address_only(client, site):
    page = StandardPage.objects.get(pk=site.deep.pk)
    old_url = page.url
    assert client.get(old_url).status_code == 200
    page.move(site.home, pos="last-child")
    page.refresh_from_db()
    assert page.url != old_url
    assert client.get(old_url).status_code in (301, 302, 404)
    assert client.get(page.url).status_code == 200


def test_a_page_put_behind_a_login_is_no_longer_served_from_the_cache(client, site):
    url = site.about.url
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    restriction = PageViewRestriction.objects.create(
        page=site.about, restriction_type=PageViewRestriction.LOGIN
    )

    response = client.get(url)
    assert response.status_code == 302, "the cached public copy was served"
    assert "About us" not in response.text
    assert client.get(url).status_code == 302

    restriction.delete()
    assert client.get(url).status_code == 200


def test_a_section_put_behind_a_password_hides_the_pages_below_it_too(client, site):
    url = site.deep.url
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    PageViewRestriction.objects.create(
        page=site.deep.get_parent(),
        restriction_type=PageViewRestriction.PASSWORD,
        password="s3cret",
    )

    response = client.get(url)
    assert "X-Page-Cache" not in response or response["X-Page-Cache"] != "hit"
    assert "password" in response.text.lower()


def test_logged_in_editors_are_never_served_or_stored_in_the_cache(client, site):
    url = site.item.url
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


def test_previews_are_never_cached(client, site):
    item = site.item
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


def test_search_results_and_the_admin_are_not_cached(client, site):
    client.get("/en/search/?q=observers")
    assert "X-Page-Cache" not in client.get("/en/search/?q=observers")
    assert "X-Page-Cache" not in client.get("/admin/login/")


def test_each_query_string_is_cached_separately(client, site):
    client.get(site.newsroom.url)
    filtered = client.get(f"{site.newsroom.url}?page=1")
    assert filtered["X-Page-Cache"] == "miss"


def test_pages_are_still_served_when_redis_is_down(client, settings, site):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
            },
        },
    }
    settings.PAGE_CACHE_ALIAS = "pages"
    try:
        url = site.item.url
        for _attempt in range(2):
            response = client.get(url)
            assert response.status_code == 200
            assert response["X-Page-Cache"] == "miss"
        publish_title(site.item, "Published while Redis is away")
        assert "Published while Redis is away" in client.get(url).text
    finally:
        caches["pages"].close()
        cache.clear()


def test_a_publish_while_a_page_is_being_built_leaves_that_copy_stale(rf, site):
    from home import invalidation
    from home.cache import PageCacheMiddleware

    rendered = HttpResponse("the news item")
    rendered.context_data = {"page": site.item}

    def render_while_news_is_published(request):
        invalidation.invalidate([invalidation.NEWS])
        return rendered

    calls = []

    def render(request):
        calls.append(request)
        return rendered

    request = rf.get(site.item.url)
    request.user = AnonymousUser()
    PageCacheMiddleware(render_while_news_is_published)(request)
    PageCacheMiddleware(render)(request)
    assert len(calls) == 1, "the copy built before the publish was served"
