"""A version number for everything cached about the news: bumped by any change readers could see.

Facet indexes, filter choices and search results are cached under this number,
so a publish, unpublish, move or deletion of a page (or an archive import) makes
every cached copy stale at once without hunting for keys.

The number is bumped twice: at once, so the publishing request itself sees the
change, and again after the transaction commits, because another process may
have rebuilt from the not yet committed database in between. After the commit
the newsroom's indexes are rebuilt, so readers do not wait for them.
"""

import threading
import time
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

VERSION_KEY = "newsroom:version"


def news_version():
    # Seeded with the clock, not 1: after a cache flush the number must not
    # repeat one that a process still holds an index for.
    return cache.get_or_set(VERSION_KEY, time.time_ns(), None)


def bump_news_version(**kwargs):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), None)


_bulk = threading.local()


def news_changed(**kwargs):
    """Something readers see in the newsroom changed: invalidate now, rebuild after commit."""
    bump_news_version()
    if getattr(_bulk, "depth", 0):
        return
    # One rebuild per transaction, however many pages it publishes.
    if not any(func is _after_commit for _ids, func, _robust in connection.run_on_commit):
        transaction.on_commit(_after_commit)


def _after_commit():
    from .filters import refresh_newsroom

    bump_news_version()
    refresh_newsroom()


@contextmanager
def bulk_changes():
    """Publish many pages (demo content, imports) with one rebuild at the end, not one each."""
    _bulk.depth = getattr(_bulk, "depth", 0) + 1
    try:
        yield
    finally:
        _bulk.depth -= 1
    news_changed()


def _page_changed(sender, instance=None, **kwargs):
    from wagtail.models import Page

    # Any page, not only news: a structure gaining a unit changes its count.
    if isinstance(instance, Page):
        news_changed()


def _sync_listing(sender, instance=None, **kwargs):
    """Keep ``listed_locale`` right even when live changed without a save of the news row."""
    from .models import NewsItemPage

    if isinstance(instance, NewsItemPage):
        NewsItemPage.objects.filter(pk=instance.pk).update(
            listed_locale_id=instance.locale_id if instance.live else None
        )


def connect():
    from wagtail.models import PageViewRestriction

    from directory.models import FieldOfWork

    from .models import PublicationType

    for signal in (page_published, page_unpublished):
        signal.connect(_sync_listing, dispatch_uid=f"newsroom-listing-{signal!r}")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_page_changed, dispatch_uid=f"newsroom-version-{signal!r}")
    post_delete.connect(_page_changed, dispatch_uid="newsroom-version-deleted")
    # A term renamed or removed, or a section put behind a password or login.
    for model in (FieldOfWork, PublicationType, PageViewRestriction):
        for signal in (post_save, post_delete):
            signal.connect(
                news_changed,
                sender=model,
                dispatch_uid=f"newsroom-terms-{model.__name__}-{signal!r}",
            )
