"""Keeping the site up when a part fails: Redis down means uncached, PostgreSQL down means 503."""

import logging
import sys
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import DatabaseError, InterfaceError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)
REDIS_DOWN = (ConnectionError, TimeoutError)
WARN_EVERY_SECONDS = 30
_last_warning = [0.0]


def _warn(error):
    now = time.monotonic()
    if now - _last_warning[0] >= WARN_EVERY_SECONDS:
        _last_warning[0] = now
        logger.warning("Redis unavailable, serving pages uncached: %s", error)


def _tolerant(fallback):
    def decorate(method):
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except REDIS_DOWN as error:
                _warn(error)
                if isinstance(fallback, type) and issubclass(fallback, Exception):
                    raise fallback("Redis unavailable") from error
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return call

    return decorate


class TolerantRedisCacheClient(RedisCacheClient):
    """Redis client that treats an unreachable server as an empty cache."""

    add = _tolerant(False)(RedisCacheClient.add)
    get = _tolerant(lambda key, default: default)(RedisCacheClient.get)
    set = _tolerant(None)(RedisCacheClient.set)
    touch = _tolerant(False)(RedisCacheClient.touch)
    delete = _tolerant(False)(RedisCacheClient.delete)
    get_many = _tolerant(lambda keys: {})(RedisCacheClient.get_many)
    has_key = _tolerant(False)(RedisCacheClient.has_key)
    incr = _tolerant(ValueError)(RedisCacheClient.incr)
    set_many = _tolerant(None)(RedisCacheClient.set_many)
    delete_many = _tolerant(None)(RedisCacheClient.delete_many)
    clear = _tolerant(False)(RedisCacheClient.clear)


class TolerantRedisCache(RedisCache):
    """Django's Redis cache, except that pages are still served while Redis is down."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient


def server_error(request, *args, **kwargs):
    """The 500 handler: the database being unreachable is a 503, the site's own page."""
    error = sys.exc_info()[1]
    if isinstance(error, (DatabaseError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
