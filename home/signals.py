"""Every event that changes what readers see, fed to the invalidation service (invalidation.py).

- A page published or unpublished: the pages showing it (``pages_showing_it()``; every
  page unless the page class names them), both as they were and as they are, so that a
  news item moved to another field of work also leaves the old field's page.
- A page moved, renamed (slug) or deleted: the whole site (its address is in menus,
  breadcrumbs and cards), and its old addresses on the CDN.
- A view restriction (login, password, groups) saved or deleted: the whole site, and
  the page and what is below it on the CDN, so a page put behind a login stops being
  served from any cache at once.
- A snippet, a site setting, a Site or a Locale saved or deleted: the whole site.

Bulk operations (imports, the demo loader) call the service themselves; inside
``bulk_changes()`` these receivers only note that the site changed, without queries.
"""

import copy

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from . import invalidation
from .cache import page_purge_urls

# A restriction on a section purges at most this many pages below it on the CDN; the
# rest expire there after PAGE_CACHE_CDN_SECONDS.
MAX_RESTRICTED_PAGES_PURGED = 500


def _shown_on(page):
    """The pages showing ``page`` besides itself, or None for every page."""
    method = getattr(page, "pages_showing_it", None)
    return None if method is None else method()


def _purge_urls(page):
    method = getattr(page, "purge_urls", None)
    return method() if method is not None else page_purge_urls(page)


def remember_pages_showing_it(sender, instance, update_fields=None, raw=False, **kwargs):
    """Before a page's live row is saved (publish, unpublish), note where it was shown."""
    if raw or invalidation.in_bulk() or not isinstance(instance, Page) or not instance.pk:
        return
    # Drafts and Wagtail's bookkeeping save named fields only; the live content and its
    # relations are written by a full save.
    if update_fields is not None:
        return
    if getattr(instance, "pages_showing_it", None) is not None:
        instance._pages_showing_before = _shown_on(instance)


def page_published_or_unpublished(sender, instance, **kwargs):
    if invalidation.in_bulk():
        invalidation.site_changed()
        return
    shown = _shown_on(instance)
    if shown is None:
        invalidation.site_changed(urls=_purge_urls(instance))
        return
    before = instance.__dict__.pop("_pages_showing_before", None) or []
    pages = {page.pk: page for page in [*before, *shown]}
    pages.pop(instance.pk, None)
    invalidation.invalidate(pages=[instance, *pages.values()])


def page_moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    if invalidation.in_bulk() or url_path_before == url_path_after:
        invalidation.site_changed()
        return
    before = copy.copy(instance)
    before.url_path = url_path_before
    invalidation.site_changed(urls=_purge_urls(before))


def page_slug_changed_(sender, instance, instance_before, **kwargs):
    if invalidation.in_bulk():
        invalidation.site_changed()
        return
    invalidation.site_changed(urls=_purge_urls(instance_before))


def page_deleted(sender, instance, **kwargs):
    if not isinstance(instance, Page):
        return
    if invalidation.in_bulk() or not instance.live:
        invalidation.site_changed()
        return
    # Deleting a section deletes every page below it, one signal each: no queries here.
    invalidation.site_changed(urls=_purge_urls(instance.specific_deferred))


def view_restriction_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if invalidation.in_bulk():
        invalidation.site_changed()
        return
    urls = []
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        below = page.get_descendants(inclusive=True).live().specific(defer=True)
        for shown in below[:MAX_RESTRICTED_PAGES_PURGED]:
            urls.extend(_purge_urls(shown))
    invalidation.site_changed(urls=urls)


def _shown_on_every_page(instance):
    if isinstance(instance, (BaseSiteSetting, BaseGenericSetting, Site, Locale)):
        return True
    return type(instance) in get_snippet_models()


def snippet_or_setting_saved(sender, instance, created=False, raw=False, **kwargs):
    # Settings rows are created with their defaults on first use, while a page renders.
    if raw or (created and isinstance(instance, (BaseSiteSetting, BaseGenericSetting))):
        return
    if _shown_on_every_page(instance):
        invalidation.site_changed()


def snippet_or_setting_deleted(sender, instance, **kwargs):
    if _shown_on_every_page(instance):
        invalidation.site_changed()


pre_save.connect(remember_pages_showing_it, dispatch_uid="invalidation-page-before")
for _signal in (page_published, page_unpublished):
    _signal.connect(page_published_or_unpublished, dispatch_uid=f"invalidation-{_signal!r}")
post_page_move.connect(page_moved, dispatch_uid="invalidation-page-moved")
page_slug_changed.connect(page_slug_changed_, dispatch_uid="invalidation-slug-changed")
pre_delete.connect(page_deleted, dispatch_uid="invalidation-page-deleted")
for _signal in (post_save, post_delete):
    _signal.connect(
        view_restriction_changed,
        sender=PageViewRestriction,
        dispatch_uid=f"invalidation-view-restriction-{_signal!r}",
    )
post_save.connect(snippet_or_setting_saved, dispatch_uid="invalidation-saved")
post_delete.connect(snippet_or_setting_deleted, dispatch_uid="invalidation-deleted")
