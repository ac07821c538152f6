"""The newsroom's background work, run by the task worker (``manage.py run_worker``)."""

from django.core.cache import cache
from django_tasks import task

from .signals import news_version

BUILT_KEY = "newsroom:rebuilt-version"


@task()
def rebuild_newsroom():
    """Build every language's facet index and filter choices for the current news version.

    Queued after each change that touched the news. Several changes in a row queue
    several of these: the first builds the newest version, the others find it built.
    """
    from .filters import refresh_newsroom

    version = news_version()
    if cache.get(BUILT_KEY) == version:
        return "already built"
    refresh_newsroom()
    cache.set(BUILT_KEY, version, None)
    return "built"
