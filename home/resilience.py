"""Keeping the site up when a part fails: Redis down means uncached, PostgreSQL down means 503.

Redis is django-redis with IGNORE_EXCEPTIONS (config/settings/base.py): a call that cannot
reach Redis reads as a miss and writes nothing (``RedisCache`` below only mends one answer).
django-redis logs each such call with its traceback; ``RedisOutageLogFilter`` turns that
into one warning every 30 seconds.
"""

import logging
import sys
import time

from django.db import DatabaseError, InterfaceError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django_redis.cache import RedisCache as DjangoRedisCache

WARN_EVERY_SECONDS = 30


class RedisOutageLogFilter(logging.Filter):
    """One "Redis unavailable" warning every WARN_EVERY_SECONDS instead of a traceback per call."""

    def __init__(self, name=""):
        super().__init__(name)
        self.last_warning = None

    def filter(self, record):
        now = time.monotonic()
        if self.last_warning is not None and now - self.last_warning < WARN_EVERY_SECONDS:
            return False
        self.last_warning = now
        error = record.exc_info[1] if record.exc_info else None
        record.msg = "Redis unavailable, serving pages uncached: %s"
        record.args = (getattr(error, "__cause__", None) or error,)
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True


class RedisCache(DjangoRedisCache):
    """django-redis, except that ``get_many`` answers a dict of its own during an outage.

    django-redis answers every failed ``get_many`` with one shared ``{}`` (the default of its
    ``omit_exception``); a caller that adds to the answer, as the page cache does, would
    then pollute every later one.
    """

    def get_many(self, *args, **kwargs):
        return dict(super().get_many(*args, **kwargs))


class TolerantRedisCache(RedisCache):
    """The same with IGNORE_EXCEPTIONS always on, for settings that name a class only.

    Kept so tests/quality/test_cache.py keeps running; settings name ``RedisCache`` above
    with ``IGNORE_EXCEPTIONS`` instead.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._ignore_exceptions = True


def server_error(request, *args, **kwargs):
    """The 500 handler: the database being unreachable is a 503, the site's own page."""
    error = sys.exc_info()[1]
    if isinstance(error, (DatabaseError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
