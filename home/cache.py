"""The page cache: whole responses of public pages, kept for anonymous readers; and the CDN purge.

Each cached response carries the versions of its page's tags (``cache_tags()``: the
site, the page, and for a news item the news). The invalidation service
(``home.invalidation``) bumps those versions when what the page shows changes, so
every response built on the old content misses on its next read. Checking a hit
costs two cache round trips and no query. Entries also expire after
PAGE_CACHE_SECONDS as a backstop.

The CDN in front of the site (wagtail.contrib.frontend_cache) is purged from the same
facts, after the change commits: the ``purge_urls()`` of each page whose responses
changed, through Wagtail's purge task, so the editor's request does not wait for it.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.utils.cache import patch_cache_control, patch_vary_headers
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page

from . import invalidation


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _entry_key(request):
    raw = f"{request.get_host()}|{request.get_full_path()}"
    return "pagecache:entry:" + hashlib.sha256(raw.encode()).hexdigest()


def page_tags(page):
    """The tags of a response that shows ``page``."""
    method = getattr(page, "cache_tags", None)
    if method is not None:
        return method()
    return [invalidation.SITE, invalidation.page_tag(page.pk)]


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
            if invalidation.versions(stored_versions) == stored_versions:
                response["X-Page-Cache"] = "hit"
                return response

        # Versions are read before rendering: a change that lands while this response
        # is being built must still make it stale.
        before = invalidation.versions([invalidation.SITE, invalidation.NEWS])
        response = self.get_response(request)
        page = self._page_of(response)
        if page is not None and self._cacheable_response(request, response):
            tags = page_tags(page)
            versions = {
                **invalidation.versions(tags),
                **{t: before[t] for t in tags if t in before},
            }
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


def page_purge_urls(page):
    """The CDN addresses of ``page``: its own URL and the paths it caches below it."""
    url = page.get_full_url()
    if url is None:
        return []
    return [url + path.lstrip("/") for path in page.get_cached_paths()]


def purge_frontend(sender, pages=(), urls=(), **kwargs):
    """Purge on the CDN what changed: the pages' ``purge_urls()`` and ``urls``."""
    if not settings.WAGTAILFRONTENDCACHE:
        return
    batch = PurgeBatch()
    for page in pages:
        method = getattr(page, "purge_urls", None)
        batch.add_urls(method() if method is not None else page_purge_urls(page))
    batch.add_urls(urls)
    # Wagtail's purge task: queued for the worker, which sends the purge requests.
    batch.purge()


def connect_signals():
    invalidation.content_changed.connect(purge_frontend, dispatch_uid="page-cache-cdn-purge")
