import os
import shutil

import pytest
from django.core.cache import cache

from home.demo import DemoLoader

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
    """Every test database starts with the demo site loaded once."""
    with django_db_blocker.unblock():
        DemoLoader().run()


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo_site(transactional_db, settings):
    """The demo site for tests whose database is emptied after them (browser tests).

    Translated into French and Russian only: the browser journeys use those two,
    and each further language costs ~15 s of loading per test.
    """
    settings.DEMO_LANGUAGES = ["fr", "ru"]
    DemoLoader().run()
