"""Benchmark of the newsroom and search at archive scale (not a test: it prints a table).

    DATA_DIR=/tmp/bench .venv/bin/python bench/newsroom_bench.py --items 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/newsroom_bench.py

It migrates the database, loads the demo content, measures query counts on the
demo archive, generates and imports ``--items`` generated news items (timing the
import), then requests each URL ``--repeat`` times in-process through Django's
test client and reports the median and 95th percentile server time, the SQL
query count, and the 95th percentile of the process's CPU time, which other
work on a shared machine disturbs far less than the clock. "after a publish"
is the first request after an editor published something: before each request
the news version is bumped and the publishing side rebuilds the newsroom's
indexes, as signals.py does after the commit, and this process forgets its own
copies, as another server process would not have them (so they are read from
the cache). "warm" is the usual case. The rebuild itself, paid once per
publish, is timed on its own. Use a throw-away database: the generated items stay in it.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Measure the server's own work, not the whole-page cache in front of it.
os.environ.setdefault("PAGE_CACHE_ENABLED", "false")


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def after_publish():
    from newsroom.facets import forget_facet_indexes
    from newsroom.filters import refresh_newsroom
    from newsroom.signals import bump_news_version

    bump_news_version()
    refresh_newsroom()
    forget_facet_indexes()


def measure(client, url, repeat, cold):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, cpu, queries = [], [], set()
    client.get(url, HTTP_HOST="localhost")
    for _ in range(repeat):
        if cold:
            after_publish()
        with CaptureQueriesContext(connection) as context:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, HTTP_HOST="localhost")
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        queries.add(len(context.captured_queries))
    return (
        statistics.median(times),
        percentile(times, 0.95),
        sorted(queries),
        percentile(cpu, 0.95),
    )


def scenarios(total_pages):
    from directory.models import CountryPage, FieldOfWork, FieldOfWorkPage, InstitutionPage
    from newsroom.models import NewsItemPage

    field = (
        FieldOfWork.objects.filter(locale__language_code="en")
        .order_by("slug")
        .values_list("slug", flat=True)[3]
    )
    country = CountryPage.objects.filter(slug="ukraine").values_list("slug", flat=True).first()
    country = country or CountryPage.objects.values_list("slug", flat=True)[0]
    deep = max(1, total_pages // 2)
    newest = NewsItemPage.objects.order_by("-issued_on").values_list("issued_on", flat=True)[0]
    year = newest.year - 3
    english = {"locale__language_code": "en"}
    field_page = FieldOfWorkPage.objects.live().filter(field_of_work__slug=field, **english)
    secretariat = InstitutionPage.objects.live().filter(slug="secretariat", **english)
    item = NewsItemPage.objects.live().filter(**english).order_by("-issued_on", "-pk")
    return [
        ("newsroom, first page", "/en/news/"),
        (f"newsroom, page {deep}", f"/en/news/?page={deep}"),
        ("filter: field of work", f"/en/news/?field={field}"),
        ("filter: country", f"/en/news/?country={country}"),
        ("filter: issuer with units", "/en/news/?issuer=secretariat"),
        ("filter: content type", "/en/news/?type=press-release"),
        ("filter: date range", f"/en/news/?from={year}-01-01&to={year}-12-31"),
        ("filter: rare word", "/en/news/?q=dosimetry"),
        ("filter: common word", "/en/news/?q=osce"),
        (
            "three filters",
            f"/en/news/?field={field}&country={country}&from={year - 5}-01-01",
        ),
        ("feed: RSS, one filter", f"/en/news/feed/rss/?field={field}"),
        ("search: common word", "/en/search/?q=osce"),
        ("search: common word, newest", "/en/search/?q=osce&order=newest"),
        ("search: rare word", "/en/search/?q=dosimetry"),
        # Pages that show a few of the latest news, read from the same index.
        ("home page", "/en/"),
        ("hub: field of work", field_page.first().url),
        ("hub: structure with units", secretariat.first().url),
        ("news item, related news", item.first().url),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--skip-demo", action="store_true", help="the database already holds the demo content"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from newsroom.listing import PAGE_SIZE
    from newsroom.models import NewsItemPage

    client = Client()
    call_command("migrate", verbosity=0)
    if not args.skip_demo:
        call_command("load_demo_content", verbosity=0)
    demo_queries = {}
    before = NewsItemPage.objects.count()
    if before < args.items:
        for name, url in scenarios(1):
            demo_queries[name] = measure(client, url, 2, cold=False)[2]
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as stream:
            path = stream.name
        call_command("generate_news", args.items, output=path)
        started = time.perf_counter()
        call_command("import_news", path)
        elapsed = time.perf_counter() - started
        os.unlink(path)
        print(f"\nImport: {args.items} items in {elapsed:.1f} s = {args.items / elapsed:,.0f}/s\n")
    count = NewsItemPage.objects.count()
    total_pages = count // PAGE_SIZE
    print(
        f"{connection.vendor}, {count} news items, {args.repeat} requests per row, "
        "times in ms (server time in-process)\n"
    )
    rebuilds = []
    for _ in range(5):
        started = time.perf_counter()
        after_publish()
        rebuilds.append((time.perf_counter() - started) * 1000)
    print(
        f"Rebuild of the newsroom's indexes after a publish: median "
        f"{statistics.median(rebuilds):.0f} ms, max {max(rebuilds):.0f} ms\n"
    )
    header = (
        f"| {'request':32} | after publish median | after publish p95 | warm median "
        "| warm p95 | queries | queries on demo | CPU p95 after publish / warm |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    for name, url in scenarios(total_pages):
        cold = measure(client, url, args.repeat, cold=True)
        warm = measure(client, url, args.repeat, cold=False)
        queries = ",".join(str(q) for q in sorted(set(cold[2]) | set(warm[2])))
        demo = ",".join(str(q) for q in demo_queries.get(name, [])) or "-"
        print(
            f"| {name:32} | {cold[0]:20.1f} | {cold[1]:17.1f} | {warm[0]:11.1f} | "
            f"{warm[1]:8.1f} | {queries:7} | {demo:15} | "
            f"{f'{cold[3]:.1f} / {warm[3]:.1f}':28} |"
        )


if __name__ == "__main__":
    main()
