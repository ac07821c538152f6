"""Median and p95 server time and SQL query count of the main public pages.

Runs the pages through Django's test client in-process (no network), against
the database in DATA_DIR (load the demo content first):

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/page_timings.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from newsroom.models import NewsItemPage  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", "50"))


def measure(client, url):
    client.get(url)  # warm caches, as a running site has them
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(context)


def main():
    seed = NewsItemPage.objects.filter(locale__language_code="en").order_by("pk").first()
    pages = {
        "home": "/en/",
        "country (Tajikistan)": "/en/countries/participating-states/tajikistan/",
        "news item (seed)": seed.url,
        "field of work": "/en/our-work/fields-of-work/countering-terrorism/",
        "newsroom": "/en/news/",
    }
    client = Client(HTTP_HOST="localhost")
    reset_queries()
    print(
        f"{'page':<24} {'median ms':>10} {'p95 ms':>8} {'queries':>8}   ({ROUNDS} rounds, "
        f"{connection.vendor}, {NewsItemPage.objects.count()} news items)"
    )
    for name, url in pages.items():
        median, p95, queries = measure(client, url)
        print(f"{name:<24} {median:>10.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
