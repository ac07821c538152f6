"""A version number for everything cached about the news: bumped by any change readers could see.

Facet counts and result totals are cached under this number, so a publish,
unpublish, move or deletion of a page (or an archive import) makes every cached
count stale at once without hunting for keys.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

VERSION_KEY = "newsroom:version"


def news_version():
    return cache.get_or_set(VERSION_KEY, 1, None)


def bump_news_version(**kwargs):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def _page_changed(sender, instance=None, **kwargs):
    from wagtail.models import Page

    # Any page, not only news: a structure gaining a unit changes its count.
    if isinstance(instance, Page):
        bump_news_version()


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
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_page_changed, dispatch_uid=f"newsroom-version-{signal!r}")
    post_delete.connect(_page_changed, dispatch_uid="newsroom-version-deleted")
    from directory.models import FieldOfWork

    from .models import PublicationType

    for model in (FieldOfWork, PublicationType):
        for signal in (post_save, post_delete):
            signal.connect(
                bump_news_version,
                sender=model,
                dispatch_uid=f"newsroom-terms-{model.__name__}-{signal!r}",
            )
