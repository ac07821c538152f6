"""Seconds the demo content loader takes per stage, on a fresh database and on a second run.

Creates a throw-away SQLite database in a temporary DATA_DIR, migrates it, runs
``config.demo.DemoLoader`` once (everything created) and then again (nothing to do),
and prints the wall-clock and CPU seconds of each stage and the row counts the
first run left:

    .venv/bin/python bench/demo_load.py

The targets (issue 10): under 60 s for the first run, under 10 s for the second.
Set KEEP=1 to keep the database (its path is printed).
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DATA_DIR = tempfile.mkdtemp(prefix="demo-load-")
# Before django.setup(): the settings read DATA_DIR for the SQLite file.
os.environ["DATA_DIR"] = DATA_DIR
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402
from wagtail.models import Page, ReferenceIndex, Revision  # noqa: E402
from wagtail.search.models import IndexEntry  # noqa: E402
from wagtail_localize.models import StringTranslation, Translation  # noqa: E402

from config.demo import DemoLoader  # noqa: E402

STAGES = ["pages", "news", "menus/footers", "translation", "indexing", "total"]


def run_loader():
    loader = DemoLoader()
    wall, cpu = time.perf_counter(), time.process_time()
    created, updated = loader.run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return loader, created, updated, wall, cpu


def counts():
    per_locale = dict(
        Page.objects.filter(depth__gt=1)
        .values_list("locale__language_code")
        .annotate(n=Count("id"))
        .order_by("locale__language_code")
    )
    return {
        "pages per locale": per_locale,
        "revisions": Revision.objects.count(),
        "string translations": StringTranslation.objects.count(),
        "translations": Translation.objects.count(),
        "search index entries": IndexEntry.objects.count(),
        "reference index rows": ReferenceIndex.objects.count(),
    }


def main():
    print(f"Database: {DATA_DIR}/db.sqlite3")
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate          {time.perf_counter() - start:7.2f} s")

    first, created, updated, wall, cpu = run_loader()
    print(f"\nFirst run: {created} pages created, {updated} updated, {first.translated} translated")
    for stage in STAGES:
        print(f"  {stage:<15} {first.timings.get(stage, 0):7.2f} s")
    print(f"  (CPU {cpu:.2f} s of {wall:.2f} s wall)")
    for name, value in counts().items():
        print(f"  {name}: {value}")

    second, created, updated, wall, cpu = run_loader()
    print(
        f"\nSecond run: {created} pages created, {updated} updated, {second.translated} translated"
    )
    for stage in STAGES:
        print(f"  {stage:<15} {second.timings.get(stage, 0):7.2f} s")
    print(f"  (CPU {cpu:.2f} s of {wall:.2f} s wall)")

    print(f"\nfirst run {first.timings['total']:.2f} s, second run {second.timings['total']:.2f} s")


if __name__ == "__main__":
    try:
        main()
    finally:
        if not os.environ.get("KEEP"):
            shutil.rmtree(DATA_DIR, ignore_errors=True)
