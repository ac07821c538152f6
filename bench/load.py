"""A load run: readers on the main pages while an editor publishes every second.

    .venv/bin/python bench/load.py [--seconds 60] [--readers-per-url 2]

Serves the site with gunicorn (DEBUG off, PostgreSQL, Redis: see bench/stack.py).
Reader threads, the same number for each URL, request the home page, the newsroom,
a news item, a search and a static file (the site's stylesheet) over keep-alive
connections; a separate process publishes a news item every second. Prints, per
URL, the requests, throughput, p50 and p99 latency and errors (anything but 200),
then the cached news item's throughput as a ratio to the static file's.
"""

import argparse
import http.client
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

from stack import ENVIRONMENT, PYTHON, ROOT, django_shell, ensure_database, gunicorn, log

PUBLISHER = """
import time
from newsroom.models import NewsItemPage
item = NewsItemPage.objects.live().filter(locale__language_code="en").order_by("-pk")[0]
end = time.monotonic() + {seconds}
count = 0
while time.monotonic() < end:
    started = time.monotonic()
    item = NewsItemPage.objects.get(pk=item.pk)
    item.title = f"Load run update {{count}}"
    item.save_revision().publish()
    count += 1
    time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
print(count)
"""


def reader(port, path, until, samples, errors):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "localhost", "Accept-Encoding": "gzip"}
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
            if response.will_close:
                connection.close()
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
        elapsed = time.perf_counter() - started
        samples.append(elapsed)
        if not ok:
            errors.append(path)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--readers-per-url", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8111)
    arguments = parser.parse_args()

    ensure_database()
    news_url = django_shell(
        "from newsroom.models import NewsItemPage\n"
        "print(NewsItemPage.objects.live().filter(locale__language_code='en')"
        ".order_by('pk')[0].url)"
    ).splitlines()[-1]

    with gunicorn(arguments.port, workers=arguments.workers, threads=4) as (base,):
        import urllib.request

        home = urllib.request.urlopen(base + "/en/").read().decode()
        stylesheet = re.search(r'href="(/static/css/site[^"]*\.css)"', home).group(1)
        urls = {
            "home": "/en/",
            "newsroom": "/en/news/",
            "news item": news_url,
            "search": "/en/search/?q=security",
            "static file": stylesheet,
        }
        for path in urls.values():
            urllib.request.urlopen(base + path).read()

        log(
            f"Load run: {arguments.seconds} s, {arguments.readers_per_url} readers per URL, "
            f"gunicorn {arguments.workers} workers x 4 threads, an editor publishing every second"
        )
        publisher = subprocess.Popen(
            [PYTHON, "manage.py", "shell", "-c", PUBLISHER.format(seconds=arguments.seconds)],
            cwd=ROOT,
            env=ENVIRONMENT,
            stdout=subprocess.PIPE,
            text=True,
        )
        samples = defaultdict(list)
        errors = defaultdict(list)
        until = time.monotonic() + arguments.seconds
        threads = [
            threading.Thread(
                target=reader,
                args=(arguments.port, path, until, samples[name], errors[name]),
                daemon=True,
            )
            for name, path in urls.items()
            for _reader in range(arguments.readers_per_url)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        duration = time.monotonic() - started
        publishes = publisher.communicate(timeout=120)[0].strip().splitlines()[-1]

    rows = []
    for name in urls:
        values = samples[name]
        rows.append(
            (
                name,
                len(values),
                len(values) / duration,
                statistics.median(values) * 1000 if values else 0.0,
                percentile(values, 0.99) * 1000,
                len(errors[name]),
            )
        )
    total = sum(row[1] for row in rows)
    total_errors = sum(row[5] for row in rows)
    print()
    print("| URL | requests | req/s | p50 ms | p99 ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, count, rate, p50, p99, failed in rows:
        print(f"| {name} | {count} | {rate:.0f} | {p50:.1f} | {p99:.1f} | {failed} |")
    print(f"| all | {total} | {total / duration:.0f} | | | {total_errors} |")
    rates = {row[0]: row[2] for row in rows}
    ratio = rates["news item"] / rates["static file"] if rates["static file"] else 0.0
    print()
    print(f"Publishes during the run: {publishes}")
    print(f"Cached news item / static file throughput: {ratio:.2f} (target >= 0.25)")
    return 0 if total_errors == 0 and ratio >= 0.25 else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
