"""The one invalidation service: every cache of what readers see is stale once this says so.

A cache names what it was built from with **tags**; each tag has a **version** in the
shared cache, and a cached copy keeps the versions it was built under. Changing
something bumps its tags, so every copy built on the old content misses on its next
read: no keys are hunted for. The tags:

- ``site``: every page. Menus, breadcrumbs, cards, footers and settings show up on
  every page, so a change to any of them (or to a page that is not a news item) is a
  change of the whole site. A bump of ``site`` bumps ``news`` too.
- ``news``: everything derived from the set of published pages: the newsroom's facet
  indexes and filter choices, search results, the related news on news items. Every
  page change bumps it. ``newsroom.signals.news_version()`` is its version.
- ``page:<id>``: the responses of one page. A page that appears in a few known places
  (a news item: its newsroom, home page, issuers, countries and fields of work) names
  them with ``pages_showing_it()``, and publishing it bumps only those pages' tags.

Page classes declare their own part (``cache_tags()``, ``pages_showing_it()``,
``purge_urls()`` on ``home.models.BasePage``), so this module knows no page type of
the apps above it. ``home.signals`` feeds it every event that changes what readers
see; bulk operations call ``invalidate()`` themselves, or run inside ``bulk_changes()``
to invalidate once at the end.

**One numbering rule**: a version is a nanosecond timestamp, and a bump writes a fresh
one. A missing version (after a cache flush or eviction) is seeded the same way, so
a number never comes back that some process still holds a copy for.

Versions are bumped at once, so the changing request itself sees the change, and
again after the transaction commits, because another process may have rebuilt
from the not yet committed database in between. After the commit ``content_changed``
is sent once per transaction, with everything the transaction changed: the CDN purge
(``home.cache``) and the newsroom's index rebuild (``newsroom.signals``) listen to it,
and queue their work as tasks, so the request does not wait for them.

If the cache cannot be reached, each process keeps versions of its own, renewed every
``LOCAL_VERSION_SECONDS``: copies it keeps in memory (the newsroom's facet index) are
reused instead of rebuilt on every request, and changes made by other processes show
within that time.
"""

import logging
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

SITE = "site"
NEWS = "news"
# A page's own tag may expire: a version missing from the cache is seeded afresh, so an
# expired tag only makes that page's copies miss once.
PAGE_TAG_SECONDS = 7 * 24 * 60 * 60
LOCAL_VERSION_SECONDS = 60

# Sent after the commit (at once outside a transaction) with ``tags`` (a set, ``site``
# expanded), ``pages`` (pages whose responses changed) and ``urls`` (addresses that
# changed but belong to no page any more: old addresses after a move, deleted pages).
content_changed = Signal()


def _store():
    """Where versions live: shared by every process (config/settings/base.py, "versions")."""
    return caches["versions" if "versions" in settings.CACHES else "default"]


def page_tag(pk):
    return f"page:{pk}"


def _key(tag):
    return f"invalidation:{tag}"


def _expand(tags):
    """``tags`` with what they imply: a change of the site or of a page is one of ``news``."""
    tags = set(tags)
    if SITE in tags or any(tag.startswith("page:") for tag in tags):
        tags.add(NEWS)
    return tags


_local_versions = {}


def _local_version(tag):
    """This process's version of ``tag`` while the cache cannot be reached."""
    version, until = _local_versions.get(tag, (None, 0))
    if version is None or time.monotonic() >= until:
        version = time.time_ns()
        _local_versions[tag] = (version, time.monotonic() + LOCAL_VERSION_SECONDS)
    return version


def versions(tags):
    """tag -> its current version, for each of ``tags``; two cache round trips at most."""
    keys = {_key(tag): tag for tag in tags}
    # A copy: django-redis answers a failed get_many with one shared dict.
    store = _store()
    found = dict(store.get_many(list(keys)))
    for key in keys.keys() - found.keys():
        tag = keys[key]
        seed = time.time_ns()
        timeout = PAGE_TAG_SECONDS if tag.startswith("page:") else None
        if store.add(key, seed, timeout):
            found[key] = seed
            continue
        # Someone else seeded it first; or, when it still reads as missing, the cache
        # cannot be reached.
        current = store.get(key)
        found[key] = _local_version(tag) if current is None else current
    return {keys[key]: version for key, version in found.items()}


def version(tag):
    return versions([tag])[tag]


def _bump(tags):
    now = time.time_ns()
    new = {}
    for tag in tags:
        new[tag] = now
        _local_versions[tag] = (now, time.monotonic() + LOCAL_VERSION_SECONDS)
    site_wide = {_key(tag): v for tag, v in new.items() if not tag.startswith("page:")}
    pages = {_key(tag): v for tag, v in new.items() if tag.startswith("page:")}
    if site_wide:
        _store().set_many(site_wide, None)
    if pages:
        _store().set_many(pages, PAGE_TAG_SECONDS)


class _Pending(threading.local):
    """What this thread's transaction changed, until its after-commit callback runs."""

    def __init__(self):
        self.bulk = 0
        self.scheduled = False
        self.clear()

    def clear(self):
        self.tags = set()
        self.pages = {}
        self.urls = set()

    def take(self):
        taken = self.tags, list(self.pages.values()), self.urls
        self.clear()
        return taken


_pending = _Pending()


def _scheduled():
    # Looked up in the connection's own list too: a rollback empties it, and then
    # whatever was pending was rolled back with it.
    return _pending.scheduled and any(
        func is _after_commit for _ids, func, _robust in connection.run_on_commit
    )


def in_bulk():
    """True inside ``bulk_changes()``: events only mark the whole site as changed."""
    return _pending.bulk > 0


def invalidate(tags=(), pages=(), urls=()):
    """``tags`` changed, and so did the responses of ``pages`` and the addresses ``urls``.

    Bumps now, and queues the after-commit bump and ``content_changed`` (once per
    transaction). Inside ``bulk_changes()`` it only records the change.
    """
    tags = _expand([*tags, *(page_tag(page.pk) for page in pages)])
    if not in_bulk() and not _scheduled():
        _pending.clear()
    _pending.tags |= tags
    _pending.pages.update((page.pk, page) for page in pages)
    _pending.urls.update(urls)
    if in_bulk():
        return
    _bump(tags)
    if not _scheduled():
        # One callback per transaction, however many pages it publishes.
        _pending.scheduled = True
        transaction.on_commit(_after_commit, robust=True)


def site_changed(urls=()):
    """Something every page may show changed: menus, a snippet, a setting, a page's place."""
    invalidate([SITE], urls=urls)


def _after_commit():
    _pending.scheduled = False
    tags, pages, urls = _pending.take()
    if not tags:
        return
    _bump(tags)
    # Readers must never see an error from what follows a change: a failing listener
    # is logged and the others still run.
    for receiver, error in content_changed.send_robust(
        sender=None, tags=tags, pages=pages, urls=urls
    ):
        if isinstance(error, Exception):
            logger.error(
                "After a change, %r failed",
                receiver,
                exc_info=(type(error), error, error.__traceback__),
            )


@contextmanager
def bulk_changes():
    """Change many things (demo content, imports) with one invalidation at the end.

    Inside it, events only record that the site changed; on leaving, the whole site
    is invalidated once, with the pages and addresses explicitly named in between.
    """
    _pending.bulk += 1
    try:
        yield
    finally:
        _pending.bulk -= 1
    if not in_bulk():
        tags, pages, urls = _pending.take()
        invalidate(tags | {SITE}, pages, urls)
