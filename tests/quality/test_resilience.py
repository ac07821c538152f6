"""A lost database is the site's own 503 page; a lost Redis only means no cache."""

import importlib
import logging
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client
from django_redis.cache import RedisCache as DjangoRedisCache

from config.settings import base as base_settings
from home import resilience

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def get_home_while_site_lookup_raises(error):
    client = Client(raise_request_exception=False)
    with mock.patch("wagtail.models.Site.find_for_request", side_effect=error):
        return client.get("/en/")


def test_a_database_outage_answers_with_the_sites_503_page():
    response = get_home_while_site_lookup_raises(OperationalError("connection refused"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "temporarily unavailable" in response.text
    assert "Traceback" not in response.text and "OperationalError" not in response.text


def test_other_errors_are_the_plain_500_page():
    response = get_home_while_site_lookup_raises(RuntimeError("a bug"))
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "a bug" not in response.text


def unreachable_redis():
    return resilience.RedisCache(
        "redis://127.0.0.1:1/0",
        {
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
            }
        },
    )


def test_an_unreachable_redis_reads_as_an_empty_cache():
    cache = unreachable_redis()
    assert cache.get("anything", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert not cache.add("a", 1)
    cache.set("a", 1)
    cache.set_many({"a": 1})
    assert cache.incr("a") is None
    cache.delete_many(["a"])
    cache.get_many(["a"])["a"] = "filled in by a caller"
    assert cache.get_many(["a"]) == {}, "a failed get_many answers a fresh dict each time"


def test_with_redis_url_the_cache_is_django_redis_ignoring_exceptions(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")
    try:
        redis_cache = importlib.reload(base_settings).CACHES["default"]
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(base_settings)
    assert redis_cache["BACKEND"] == "home.resilience.RedisCache"
    assert issubclass(resilience.RedisCache, DjangoRedisCache)
    assert redis_cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert redis_cache["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] <= 1
    assert redis_cache["OPTIONS"]["SOCKET_TIMEOUT"] <= 1


def test_a_redis_outage_is_logged_once_as_a_warning_not_per_call(caplog, monkeypatch):
    assert settings.DJANGO_REDIS_LOGGER == "home.resilience.redis"
    monkeypatch.setattr(settings, "DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS", True)
    redis_filter = next(
        f
        for f in logging.getLogger("home.resilience.redis").filters
        if isinstance(f, resilience.RedisOutageLogFilter)
    )
    monkeypatch.setattr(redis_filter, "last_warning", None)
    cache = unreachable_redis()
    with caplog.at_level(logging.WARNING, logger="home.resilience.redis"):
        for key in ("a", "b", "c"):
            cache.get(key)
    records = [r for r in caplog.records if r.name == "home.resilience.redis"]
    assert len(records) == 1
    assert records[0].levelname == "WARNING"
    assert records[0].getMessage().startswith("Redis unavailable, serving pages uncached:")
    assert "Connection refused" in records[0].getMessage()
    assert records[0].exc_info is None


def test_pages_are_served_uncached_while_redis_is_down(client, settings):
    from django.core.cache import caches

    settings.PAGE_CACHE_ENABLED = True
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "home.resilience.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        },
    }
    settings.PAGE_CACHE_ALIAS = "pages"
    try:
        for _attempt in range(2):
            response = client.get("/en/")
            assert response.status_code == 200
            assert response["X-Page-Cache"] == "miss"
    finally:
        caches["pages"].close()
        del caches["pages"]
