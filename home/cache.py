"""The page cache: whole responses of public pages, kept for anonymous readers.

Each cached response carries tags (the site, the page, and "news" for pages that
list news). A tag's current version lives in the cache; publishing bumps
the versions of the tags it affects, so every response built on the old content
misses on its next read. Checking a hit costs two cache round trips and no query.

Publishing a news item (the frequent case, when news breaks) bumps the item, its
newsroom and every page that lists news. Any other publish, an unpublish, a move, a
slug change, a deletion, or a save of a snippet or site setting bumps the whole
site: those pages appear in the mega menu, breadcrumbs and cards of other pages.
Entries also expire after PAGE_CACHE_SECONDS as a backstop.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.utils.cache import patch_cache_control, patch_vary_headers
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Locale, Page, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

SITE_TAG = "site"
NEWS_TAG = "news"
NEWS_LISTING_MODELS = {
    "home.homepage",
    "newsroom.newsindexpage",
    "newsroom.newsitempage",
    "directory.fieldofworkpage",
    "directory.institutionpage",
    "directory.countrypage",
}


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _tag_key(tag):
    return f"pagecache:tag:{tag}"


def _entry_key(request):
    raw = f"{request.get_host()}|{request.get_full_path()}"
    return "pagecache:entry:" + hashlib.sha256(raw.encode()).hexdigest()


def page_tags(page):
    """The tags of a response that shows ``page``."""
    tags = [SITE_TAG, f"page:{page.pk}"]
    if page.specific_class and page.specific_class._meta.label_lower in NEWS_LISTING_MODELS:
        tags.append(NEWS_TAG)
    return tags


def bump(*tags):
    _cache().set_many({_tag_key(tag): time.time_ns() for tag in tags}, None)


def _current_versions(tags):
    cache = _cache()
    keys = {_tag_key(tag): tag for tag in tags}
    found = cache.get_many(keys)
    missing = {key: time.time_ns() for key in keys if key not in found}
    if missing:
        for key, version in missing.items():
            if not cache.add(key, version, None):
                missing[key] = cache.get(key, version)
        found.update(missing)
    return {keys[key]: version for key, version in found.items()}


def _cacheable_request(request):
    if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
        return False
    if getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class PageCacheMiddleware:
    """Serves anonymous readers cached copies of public Wagtail pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            response = self.get_response(request)
            if getattr(request, "user", None) is not None and request.user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            return response

        key = _entry_key(request)
        entry = _cache().get(key)
        if entry is not None:
            stored_versions, response = entry
            if _current_versions(stored_versions) == stored_versions:
                response["X-Page-Cache"] = "hit"
                return response

        # Versions are read before rendering: a publish that lands while this response
        # is being built must still make it stale.
        before = _current_versions([SITE_TAG, NEWS_TAG])
        response = self.get_response(request)
        page = self._page_of(response)
        if page is not None and self._cacheable_response(request, response):
            tags = page_tags(page)
            versions = {**_current_versions(tags), **{t: before[t] for t in tags if t in before}}
            patch_cache_control(response, public=True, s_maxage=settings.PAGE_CACHE_CDN_SECONDS)
            patch_vary_headers(response, ["Cookie"])
            _cache().set(key, (versions, response), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _page_of(response):
        context = getattr(response, "context_data", None) or {}
        page = context.get("page")
        return page if isinstance(page, Page) else None

    @staticmethod
    def _cacheable_response(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if getattr(request, "is_preview", False) or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        cache_control = response.get("Cache-Control", "")
        return "private" not in cache_control and "no-cache" not in cache_control


def _purge_frontend(pages, urls=()):
    if not settings.WAGTAILFRONTENDCACHE:
        return
    batch = PurgeBatch()
    for page in pages:
        batch.add_page(page)
    batch.add_urls(urls)
    batch.purge()


def news_published(instance):
    bump(f"page:{instance.pk}", NEWS_TAG)
    if not settings.WAGTAILFRONTENDCACHE:
        return
    newsroom = instance.get_parent()
    related = [newsroom, newsroom.get_parent()]
    for name in ("issued_by", "countries"):
        related += list(getattr(instance, name).all())
    newsroom_url = newsroom.get_full_url()
    feeds = [f"{newsroom_url}feed/rss/", f"{newsroom_url}feed/atom/"]
    _purge_frontend([instance, *related], feeds)


def page_changed(sender, instance, **kwargs):
    if instance.specific_class._meta.label_lower == "newsroom.newsitempage" and (
        kwargs.get("signal") is page_published
    ):
        news_published(instance.specific)
    else:
        bump(SITE_TAG)
        _purge_frontend([instance])


def _shown_on_pages(instance):
    if isinstance(instance, (Page, BaseSiteSetting, BaseGenericSetting, Site, Locale)):
        return True
    return type(instance) in get_snippet_models()


def instance_changed(sender, instance, **kwargs):
    if _shown_on_pages(instance):
        bump(SITE_TAG)


def connect_signals():
    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(page_changed, dispatch_uid=f"page-cache-{signal!r}")
    post_delete.connect(instance_changed, dispatch_uid="page-cache-deleted")
    post_save.connect(snippet_or_setting_saved, dispatch_uid="page-cache-saved")


def snippet_or_setting_saved(sender, instance, created=False, **kwargs):
    # Settings rows are created with their defaults on first use, while a page renders.
    if created and isinstance(instance, (BaseSiteSetting, BaseGenericSetting)):
        return
    if not isinstance(instance, Page):
        instance_changed(sender, instance)
