"""The news version, and the newsroom's part after a change: rebuilding its indexes.

Facet indexes, filter choices and search results are cached under ``news_version()``,
the version of the invalidation service's ``news`` tag (``home.invalidation``): any
change readers could see in the newsroom (a publish, unpublish, move or deletion of a
page, a term renamed, a section put behind a login, an archive import) makes every
cached copy stale at once, without hunting for keys.

Once a change has committed, the service sends ``content_changed``; if it touched the
news, the newsroom's indexes are rebuilt by a task on the worker (``newsroom.tasks``),
so neither the editor's request nor the next reader waits for them.
"""

from wagtail.signals import page_published, page_unpublished

from home import invalidation


def news_version():
    return invalidation.version(invalidation.NEWS)


def bump_news_version(**kwargs):
    """The news changed (for callers that change it behind Wagtail's back)."""
    invalidation.invalidate([invalidation.NEWS])


def news_changed(**kwargs):
    """Something readers see in the newsroom changed: invalidate now, rebuild after commit."""
    invalidation.invalidate([invalidation.NEWS])


# Publish many pages (demo content, imports) with one invalidation and one rebuild at the
# end, not one each.
bulk_changes = invalidation.bulk_changes


def _rebuild_after_change(sender, tags, **kwargs):
    if invalidation.NEWS in tags:
        from .tasks import rebuild_newsroom

        rebuild_newsroom.enqueue()


def _sync_listing(sender, instance=None, **kwargs):
    """Keep ``listed_locale`` right even when live changed without a save of the news row."""
    from .models import NewsItemPage

    if isinstance(instance, NewsItemPage):
        NewsItemPage.objects.filter(pk=instance.pk).update(
            listed_locale_id=instance.locale_id if instance.live else None
        )


def connect():
    for signal in (page_published, page_unpublished):
        signal.connect(_sync_listing, dispatch_uid=f"newsroom-listing-{signal!r}")
    invalidation.content_changed.connect(
        _rebuild_after_change, dispatch_uid="newsroom-rebuild-after-change"
    )
