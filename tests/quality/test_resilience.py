"""A lost database is the site's own 503 page; a lost Redis only means no cache."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from home.resilience import TolerantRedisCache

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


def test_an_unreachable_redis_reads_as_an_empty_cache():
    cache = TolerantRedisCache(
        "redis://127.0.0.1:1/0",
        {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    )
    assert cache.get("anything", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    cache.set("a", 1)
    cache.set_many({"a": 1})
    with pytest.raises(ValueError):
        cache.incr("a")
