"""Keeping the site up when a part fails: Redis down means uncached, PostgreSQL down means 503.

Redis is django-redis with IGNORE_EXCEPTIONS (config/settings/base.py): a call that cannot
reach Redis reads as a miss and writes nothing. django-redis logs each such call with its
traceback; ``RedisOutageLogFilter`` turns that into one warning every 30 seconds.

A Redis that hangs rather than refuses costs each call its whole socket timeout, and a page
makes dozens of calls: 0.5 s each stalled the site for 16-22 s a page. So a failed call
opens a circuit breaker: for ``REDIS_CIRCUIT_BREAKER_SECONDS`` every call in the process
fails at once without touching the network, then one call tries Redis again. A hung Redis
costs a request at most one timeout.
"""

import logging
import sys
import threading
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted

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


class CircuitBreaker:
    """Open for ``seconds`` after a failure; shared by every thread of the process."""

    def __init__(self):
        self.open_until = 0.0
        self.lock = threading.Lock()

    @property
    def seconds(self):
        return getattr(settings, "REDIS_CIRCUIT_BREAKER_SECONDS", 5)

    def is_open(self):
        return time.monotonic() < self.open_until

    def trip(self):
        with self.lock:
            self.open_until = time.monotonic() + self.seconds

    def reset(self):
        self.open_until = 0.0


_breakers = {}


def breaker_for(server):
    return _breakers.setdefault(server, CircuitBreaker())


class OpenCircuit(ConnectionError):
    def __str__(self):
        return "not tried: Redis failed moments ago (circuit breaker open)"


class GuardedClient:
    """django-redis's client, its calls refused at once while the breaker is open."""

    def __init__(self, client, breaker):
        self._client = client
        self._breaker = breaker

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def guarded(*args, **kwargs):
            if self._breaker.is_open():
                # What django-redis raises for a lost connection, so that it answers as
                # it would for one (a miss, a write not done).
                raise ConnectionInterrupted(connection=None) from OpenCircuit()
            try:
                return attribute(*args, **kwargs)
            except ConnectionInterrupted:
                self._breaker.trip()
                raise

        return guarded


class RedisCache(DjangoRedisCache):
    """django-redis behind a circuit breaker, and ``get_many`` answering a dict of its own.

    django-redis answers every failed ``get_many`` with one shared ``{}`` (the default of its
    ``omit_exception``); a caller that adds to the answer, as the page cache does, would
    then pollute every later one.
    """

    @property
    def client(self):
        guarded = self.__dict__.get("_guarded")
        if guarded is None:
            guarded = self.__dict__["_guarded"] = GuardedClient(
                super().client, breaker_for(self._server)
            )
        return guarded

    def get_many(self, *args, **kwargs):
        return dict(super().get_many(*args, **kwargs))


def server_error(request, *args, **kwargs):
    """The 500 handler: the database being unreachable is a 503, the site's own page."""
    error = sys.exc_info()[1]
    if isinstance(error, (DatabaseError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
