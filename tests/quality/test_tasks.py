"""Background work waits in the database queue and runs on the worker, never in the request.

The suite runs tasks at once (config/settings/test.py); these tests switch to the
database backend the site runs with, and run what it queued the way
``manage.py run_worker`` does, through the worker's own ``run_task``.
"""

import datetime
import logging
from unittest import mock

import pytest
from django.test import TestCase, override_settings
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from wagtail.models import Locale, Page

from home.tasks import PUBLISH_EVERY, publish_scheduled_pages, schedule_publishing
from newsroom import facets
from newsroom.signals import news_version
from tests.factories import news_item, newsroom

pytestmark = pytest.mark.django_db

REBUILD = "newsroom.tasks.rebuild_newsroom"


def committed():
    """What runs after a commit runs at the end of the block (tests run in a transaction)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def database_tasks():
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        yield


def queued(path):
    return DBTaskResult.objects.ready().filter(task_path=path)


def run_queued():
    """Run every task that is due, as the worker does: claim it, then ``run_task``."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    for result in list(DBTaskResult.objects.ready()):
        result.claim(worker.worker_id)
        worker.run_task(result)


def test_a_publish_queues_the_newsroom_rebuild_and_the_worker_runs_it(database_tasks, client):
    english = Locale.get_default()
    with mock.patch("newsroom.filters.refresh_newsroom", wraps=None) as in_request:
        with committed():
            news_item(title="Observers deployed")
        in_request.assert_not_called()
    assert queued(REBUILD).exists()
    assert cache_has_index(english) is False

    run_queued()

    assert not queued(REBUILD).exists()
    assert DBTaskResult.objects.filter(task_path=REBUILD, status="SUCCESSFUL").exists()
    assert cache_has_index(english)
    facets.forget_facet_indexes()  # the next reader is another server process
    with mock.patch.object(facets, "build_indexes") as build:
        assert "Observers deployed" in client.get(newsroom().url).text
    build.assert_not_called()


def cache_has_index(locale):
    from django.core.cache import cache

    return cache.get(facets._cache_key(locale.pk, news_version())) is not None


def test_a_failing_rebuild_is_logged_and_the_publish_stands(database_tasks, client, caplog):
    broken = mock.patch("newsroom.filters.refresh_newsroom", side_effect=RuntimeError("disk full"))
    with broken, caplog.at_level(logging.ERROR):
        with committed():
            item = news_item(title="Published all the same")
        run_queued()

    assert Page.objects.get(pk=item.pk).live
    failed = DBTaskResult.objects.filter(task_path=REBUILD, status="FAILED")
    assert failed.exists()
    assert "disk full" in failed.first().traceback
    assert any(REBUILD in record.getMessage() for record in caplog.records)
    # Readers build the index themselves until the next rebuild succeeds.
    assert "Published all the same" in client.get(newsroom().url).text


def test_with_tasks_run_at_once_a_failing_rebuild_still_does_not_break_the_publish(caplog):
    broken = mock.patch("newsroom.filters.refresh_newsroom", side_effect=RuntimeError("disk full"))
    with broken, caplog.at_level(logging.ERROR), committed():
        item = news_item(title="Published all the same")
    assert Page.objects.get(pk=item.pk).live
    assert any(REBUILD in record.getMessage() for record in caplog.records)


def test_wagtails_own_index_updates_wait_for_the_worker_too(database_tasks):
    with committed():
        item = news_item(title="Zebrafish in the Danube")
    waiting = set(DBTaskResult.objects.ready().values_list("task_path", flat=True))
    assert "modelsearch.tasks.insert_or_update_object_task" in waiting
    assert "wagtail.tasks.update_reference_index_task" in waiting
    assert item.pk not in [page.pk for page in Page.objects.live().search("zebrafish")]

    run_queued()

    assert item.pk in [page.pk for page in Page.objects.live().search("zebrafish")]


def test_scheduled_publishing_publishes_a_page_whose_time_has_come(database_tasks):
    item = news_item(title="Embargoed until noon")
    item.unpublish()
    page = Page.objects.get(pk=item.pk).specific
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = page.save_revision()
    revision.publish()
    assert not Page.objects.get(pk=item.pk).live
    # An hour later:
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    Page.objects.filter(pk=item.pk).update(go_live_at=past)

    schedule_publishing()  # as the worker does when it starts
    assert queued(publish_scheduled_pages.module_path).count() == 1
    run_queued()

    assert Page.objects.get(pk=item.pk).live
    # The job queued its own next run, a minute on.
    following = DBTaskResult.objects.get(
        task_path=publish_scheduled_pages.module_path, status="READY"
    )
    assert following.run_after >= timezone.now() + PUBLISH_EVERY - datetime.timedelta(seconds=10)


def test_scheduled_publishing_is_queued_once_however_many_workers_start(database_tasks):
    for _worker in range(3):
        schedule_publishing()
    waiting = DBTaskResult.objects.filter(
        task_path=publish_scheduled_pages.module_path, status="READY"
    )
    assert waiting.count() == 1


def test_a_failing_scheduled_run_still_queues_the_next(database_tasks):
    schedule_publishing()
    with mock.patch("home.tasks.call_command", side_effect=RuntimeError("database busy")):
        run_queued()
    path = publish_scheduled_pages.module_path
    assert DBTaskResult.objects.filter(task_path=path, status="FAILED").count() == 1
    assert DBTaskResult.objects.filter(task_path=path, status="READY").count() == 1
