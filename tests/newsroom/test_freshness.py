"""A change made in one process reaches readers served by every other.

Without Redis each process keeps its cache in its own memory. What says a cached copy
is stale (home.invalidation's versions) must still be one for all of them: an item
published by the task worker, by cron or by ``import_news`` must show at once in the
newsroom that an app server process has already built. Two processes are played here
by two private caches sharing the versions' store on disk, as on a real machine.
"""

import pytest
from django.test import override_settings

from tests.factories import news_item, newsroom

pytestmark = pytest.mark.django_db(transaction=True)

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


def process(name, versions_dir):
    """The caches of one process: memory of its own, versions on the shared disk."""
    return override_settings(
        CACHES={
            "default": {"BACKEND": LOCMEM, "LOCATION": f"process-{name}"},
            "versions": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(versions_dir),
                "TIMEOUT": None,
            },
        }
    )


def listed_titles(client):
    response = client.get("/en/news/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_item_published_by_another_process_shows_in_this_ones_newsroom(client, tmp_path):
    room = newsroom()
    news_item(room, title="Already published")
    with process("app-server", tmp_path):
        assert "Already published" in listed_titles(client)
        assert "Published by the worker" not in listed_titles(client)
    with process("task-worker", tmp_path):
        news_item(room, title="Published by the worker")
    with process("app-server", tmp_path):
        html = listed_titles(client)
    assert "Published by the worker" in html
    assert "Already published" in html
