"""A lost database is the site's own 503 page; a lost Redis only means no cache."""

import importlib
import logging
import socket
import time
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


@pytest.fixture(autouse=True)
def closed_circuits():
    resilience._breakers.clear()
    yield
    resilience._breakers.clear()


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


@pytest.fixture
def hung_redis():
    """A server that accepts connections and never answers, as a Redis stopped by SIGSTOP."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


def test_a_hung_redis_costs_one_timeout_then_nothing_until_it_is_tried_again(hung_redis, settings):
    settings.REDIS_CIRCUIT_BREAKER_SECONDS = 2
    cache = resilience.RedisCache(
        hung_redis,
        {
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_TIMEOUT": 0.3,
                "SOCKET_CONNECT_TIMEOUT": 0.3,
            }
        },
    )
    start = time.monotonic()
    assert cache.get("page") is None
    first = time.monotonic() - start
    assert first >= 0.25, "the first call waits out its timeout"

    start = time.monotonic()
    for _ in range(50):  # a page's worth of cache calls
        assert cache.get("page") is None
        assert cache.get_many(["a", "b"]) == {}
        cache.set("page", "html")
    assert time.monotonic() - start < 0.2, "later calls fail at once while the breaker is open"

    time.sleep(2.1)
    start = time.monotonic()
    cache.get("page")
    assert time.monotonic() - start >= 0.25, "after the pause Redis is tried again"


def test_a_working_redis_is_used_again_once_the_pause_is_over(settings):
    settings.REDIS_CIRCUIT_BREAKER_SECONDS = 0.2
    cache = resilience.RedisCache(
        "redis://127.0.0.1:6379/9", {"OPTIONS": {"IGNORE_EXCEPTIONS": True}}
    )
    try:
        cache.set("circuit-probe", "up")
    except Exception:
        pytest.skip("no Redis on 127.0.0.1:6379")
    if cache.get("circuit-probe") != "up":
        pytest.skip("no Redis on 127.0.0.1:6379")
    resilience.breaker_for("redis://127.0.0.1:6379/9").trip()
    assert cache.get("circuit-probe") is None
    time.sleep(0.3)
    assert cache.get("circuit-probe") == "up"
    cache.delete("circuit-probe")
