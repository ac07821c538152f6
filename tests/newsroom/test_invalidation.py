"""What a news change makes stale is refreshed at once: page cache, CDN, facet index.

One list says which pages show a news item (``NewsItemPage.pages_showing_it()``); the
page cache and the CDN purge both read it, and so do imports that bypass Wagtail.
"""

import json
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import TestCase, override_settings
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import Locale, Page

from directory.models import InstitutionPage
from newsroom import facets
from newsroom.signals import bulk_changes, news_version
from tests.factories import (
    CountryPageFactory,
    FieldOfWorkPageFactory,
    InstitutionPageFactory,
    PublicationTypeFactory,
    StandardPageFactory,
    home,
    news_item,
    newsroom,
    translate,
)

pytestmark = pytest.mark.django_db

PURGED = []


class RecordingBackend(BaseBackend):
    """A CDN that only writes down the addresses it is asked to purge."""

    def purge(self, url):
        PURGED.append(url)


CDN = {"recording": {"BACKEND": f"{__name__}.RecordingBackend"}}


def committed():
    """What runs after a commit runs at the end of the block (tests run in a transaction).

    The service queues one after-commit callback per transaction, when it sees the first
    change; a test builds its data in one such block and makes its change in another.
    """
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def hubs():
    with committed():
        secretariat = InstitutionPageFactory(
            title="Secretariat",
            kind=InstitutionPage.Kind.SECRETARIAT,
            issuer_name="OSCE Secretariat",
        )
        return SimpleNamespace(
            secretariat=secretariat,
            unit=InstitutionPageFactory(
                title="Transnational Threats Department", parent=secretariat
            ),
            elections=FieldOfWorkPageFactory(title="Elections"),
            policing=FieldOfWorkPageFactory(title="Policing"),
            finland=CountryPageFactory(title="Finland"),
            about=StandardPageFactory(title="About us", parent=home()),
        )


@pytest.fixture
def cdn():
    PURGED.clear()
    with override_settings(WAGTAILFRONTENDCACHE=CDN):
        yield PURGED
    PURGED.clear()


def full_urls(*pages):
    return {page.get_full_url() for page in pages}


def republish(page, **changes):
    page = Page.objects.get(pk=page.pk).specific
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def test_a_news_publish_purges_every_page_showing_it_on_the_cdn(hubs, cdn):
    with committed():
        item = news_item(
            title="Observers deployed",
            issued_by=[hubs.unit],
            fields=[hubs.elections.field_of_work],
            countries=[hubs.finland],
        )
    cdn.clear()

    with committed():
        republish(item, title="Observers deployed in Georgia")

    room = newsroom()
    expected = full_urls(
        item, room, home(), hubs.unit, hubs.secretariat, hubs.elections, hubs.finland
    ) | {room.get_full_url() + "feed/rss/", room.get_full_url() + "feed/atom/"}
    assert expected <= set(cdn), sorted(expected - set(cdn))
    # The issuing unit's parent structure and the field of work are on the list: they
    # show the item too.
    assert hubs.secretariat.get_full_url() in cdn
    assert hubs.elections.get_full_url() in cdn
    assert hubs.about.get_full_url() not in cdn
    assert hubs.policing.get_full_url() not in cdn


def test_a_news_item_moved_to_another_field_leaves_the_old_fields_page_too(hubs, cdn, client):
    with committed():
        item = news_item(title="Community policing", fields=[hubs.elections.field_of_work])
    with override_settings(PAGE_CACHE_ENABLED=True):
        client.get(hubs.elections.url)
        assert client.get(hubs.elections.url)["X-Page-Cache"] == "hit"
        cdn.clear()

        page = Page.objects.get(pk=item.pk).specific
        page.fields_of_work = [hubs.policing.field_of_work]
        with committed():
            page.save_revision().publish()

        assert hubs.elections.get_full_url() in cdn
        assert hubs.policing.get_full_url() in cdn
        response = client.get(hubs.elections.url)
        assert response["X-Page-Cache"] == "miss"
        assert "Community policing" not in response.text


def test_the_pages_showing_an_item_are_found_in_its_own_language():
    english = InstitutionPageFactory(title="Secretariat", kind=InstitutionPage.Kind.SECRETARIAT)
    item = news_item(title="A statement", issued_by=[english])
    russian_item = translate(item, "ru")
    russian_issuer = translate(english, "ru")
    # wagtail-localize leaves the translation pointing at the English structure.
    assert list(russian_item.issued_by.all()) == [english]
    shown = {page.pk for page in russian_item.pages_showing_it()}
    assert russian_issuer.pk in shown
    assert english.pk not in shown
    assert russian_item.get_parent().pk in shown


def write_archive(tmp_path, items):
    path = tmp_path / "archive.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def test_after_an_import_the_cached_newsroom_and_hub_pages_show_the_new_items(
    hubs, client, tmp_path
):
    PublicationTypeFactory(name="Press release")
    news_item(title="Already in the newsroom", issued_by=[hubs.secretariat])
    room = newsroom()
    urls = [room.url, hubs.secretariat.url, hubs.elections.url, home().url]
    with override_settings(PAGE_CACHE_ENABLED=True):
        for url in urls:
            client.get(url)
            assert client.get(url)["X-Page-Cache"] == "hit", url

        archive = write_archive(
            tmp_path,
            [
                {
                    "slug": f"archived-{n}",
                    "title": f"Archived statement {n}",
                    "lead": "From the archive.",
                    "issued_on": f"2031-01-0{n}",
                    "issuer": "transnational-threats-department",
                    "fields_of_work": ["elections"],
                    "type": "press-release",
                }
                for n in (1, 2)
            ],
        )
        call_command("import_news", str(archive), stdout=open("/dev/null", "w"))  # noqa: SIM115

        for url in urls:
            response = client.get(url)
            assert response["X-Page-Cache"] == "miss", url
            assert "Archived statement 2" in response.text, url


def test_a_bulk_load_invalidates_once_at_the_end(hubs):
    from home import invalidation

    changes = []

    def record(sender, tags, **kwargs):
        changes.append(tags)

    invalidation.content_changed.connect(record, dispatch_uid="test-record")
    try:
        before = news_version()
        with committed(), bulk_changes():
            for n in range(3):
                news_item(title=f"Loaded {n}", issued_by=[hubs.unit])
            assert news_version() == before
            assert changes == []
        assert news_version() != before
        assert changes == [{invalidation.SITE, invalidation.NEWS}]
    finally:
        invalidation.content_changed.disconnect(dispatch_uid="test-record")


def test_only_the_current_versions_facet_indexes_stay_in_the_cache():
    english = Locale.get_default()
    with committed():
        item = news_item(title="First")
    first = news_version()
    assert cache.get(facets._cache_key(english.pk, first)) is not None

    with committed():
        republish(item, title="First, corrected")
    second = news_version()
    assert second != first
    assert cache.get(facets._cache_key(english.pk, second)) is not None
    assert cache.get(facets._cache_key(english.pk, first)) is None


UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        # A closed port: every call fails at once.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
    }
}


def test_with_redis_down_the_newsroom_does_not_rebuild_its_index_on_every_request(client):
    news_item(title="Read while Redis is down")
    with override_settings(CACHES=UNREACHABLE_REDIS):
        with mock.patch.object(facets, "build_indexes", wraps=facets.build_indexes) as build:
            for _request in range(3):
                response = client.get(newsroom().url)
                assert response.status_code == 200
                assert "Read while Redis is down" in response.text
        assert build.call_count == 1

        # A publish in this process still shows at once.
        with mock.patch.object(facets, "build_indexes", wraps=facets.build_indexes) as build:
            news_item(title="Published while Redis is down")
            assert "Published while Redis is down" in client.get(newsroom().url).text
            assert "Published while Redis is down" in client.get(newsroom().url).text
        assert build.call_count == 1
