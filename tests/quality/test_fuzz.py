"""Random and hostile query strings and paths never make a public URL answer with a 5xx."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsroom.models import NewsIndexPage
from tests.quality.conftest import public_pages

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

NASTY = [
    "",
    "\x00",
    "%00",
    "%ff%fe",
    "%",
    "../../../../etc/passwd",
    "' OR 1=1 --",
    '"><script>alert(1)</script>',
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "2025-02-30",
    "9999-12-31",
    "\u202e\u0644\u0627",
    "😀" * 50,
    "a" * 5000,
    "[]",
    "{}",
    "page=1&page=2",
]
FILTER_NAMES = ["q", "page", "field", "country", "issuer", "type", "from", "to", "sort", "year"]
QUIET = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=300))
names = st.one_of(st.sampled_from(FILTER_NAMES), st.text(min_size=1, max_size=40))
raw_queries = st.one_of(
    st.text(max_size=500),
    st.lists(st.tuples(names, values), max_size=6).map(
        lambda pairs: "&".join(f"{name}={value}" for name, value in pairs)
    ),
)


@pytest.fixture(scope="module")
def url_patterns(django_db_setup, demo_snapshot, django_db_blocker):
    """The demo's public addresses (read once; each test gets the demo restored)."""
    with django_db_blocker.unblock():
        demo_snapshot.restore()
        urls = [url.split("?")[0] for _name, url in public_pages("en")]
        newsroom = NewsIndexPage.objects.get(locale__language_code="en").url
        django_db_setup.restore()
    return sorted(
        {
            "/",
            "/en/",
            *urls,
            f"{newsroom}feed/rss/",
            f"{newsroom}feed/atom/",
            "/sitemap.xml",
            "/robots.txt",
            "/documents/1/missing.pdf",
        }
    )


def assert_not_a_server_error(response, where):
    assert response.status_code < 500, f"{response.status_code} for {where}"


@QUIET
@given(data=st.data(), query=raw_queries)
def test_hostile_query_strings_never_cause_a_server_error(url_patterns, data, query):
    url = data.draw(st.sampled_from(url_patterns))
    client = Client(raise_request_exception=True)
    # WSGI hands the application the raw bytes of the query string as a latin-1 str.
    response = client.get(url, QUERY_STRING=query.encode().decode("latin-1"))
    assert_not_a_server_error(response, f"{url}?{query!r}")


@QUIET
@given(data=st.data(), suffix=st.lists(values, min_size=1, max_size=4))
def test_hostile_paths_never_cause_a_server_error(url_patterns, data, suffix):
    base = data.draw(st.sampled_from(url_patterns))
    path = base.rstrip("/") + "/" + "/".join(suffix)
    client = Client(raise_request_exception=True)
    response = client.get(path)
    assert_not_a_server_error(response, repr(path))
