import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection

from config.demo import DemoLoader
from tests.snapshot import Snapshot

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# then refuses synchronous queries unless told this is fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM) and shutil.which("chromium") is not None:
        return
    skip = pytest.mark.skip(
        reason=f"browser test skipped: Debian's chromium is not installed at {CHROMIUM} "
        "(apt-get install chromium; .ci/run does this)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The migrated database (root, English home page, default Site), kept as a snapshot.

    Unit tests build what they need on it with ``tests.factories``.
    """
    with django_db_blocker.unblock():
        return Snapshot("base").take()


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The demo site, built once per session when the first test about it asks for it."""
    with django_db_blocker.unblock():
        # Built inside an open transaction (a module's shared test data), the snapshot
        # would be rolled back with it.
        assert not connection.in_atomic_block, "the demo must be built outside a transaction"
        DemoLoader().run()
        demo = Snapshot("demo").take()
        django_db_setup.restore()
        clear_caches()
    return demo


def clear_caches():
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def clear_cache():
    clear_caches()
    yield
    clear_caches()


def _transactional(request):
    marker = request.node.get_closest_marker("django_db")
    return (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))
    )


@pytest.fixture(autouse=True)
def base_site_for_transactional_tests(request):
    """A browser test without the demo starts from the migrated site, not an emptied one.

    pytest-django empties the database after each transactional test; the next one
    would otherwise find no root page and no Site.
    """
    if "demo" in request.fixturenames or not _transactional(request):
        return
    request.getfixturevalue("transactional_db")
    request.getfixturevalue("django_db_setup").restore()


@pytest.fixture
def demo(request, demo_snapshot):
    """The demo site in all six languages, for tests about the demo content.

    Restored from the session's snapshot: inside the test's rolled-back transaction
    for ordinary tests, committed (and emptied again after the test) for browser tests.
    """
    request.getfixturevalue("transactional_db" if _transactional(request) else "db")
    demo_snapshot.restore()
    clear_caches()
    return demo_snapshot


@pytest.fixture
def demo_site(demo):
    """The demo site for browser tests (an alias of ``demo``)."""
    return demo
