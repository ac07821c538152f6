"""Server time and query count of the admin's News listing, for a moderator and an editor.

Runs in-process with Django's test client against the database in DATA_DIR. Fill it with
generated news first (the newsroom's generator and bulk importer), then run:

    export DATA_DIR=/tmp/bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo_content
    .venv/bin/python manage.py setup_roles
    .venv/bin/python manage.py generate_news 100000 -o /tmp/news.jsonl
    .venv/bin/python manage.py import_news /tmp/news.jsonl
    .venv/bin/python bench/admin_news_listing.py

It creates the users "bench-editor" and "bench-moderator" if they are missing.
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

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from config.roles import EDITORS, MODERATORS, setup_roles  # noqa: E402
from directory.models import CountryPage, FieldOfWork, InstitutionPage  # noqa: E402
from newsroom.models import NewsItemPage, PublicationType  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", "7"))
URL = "/admin/news/"


def user(name, group):
    account, _ = get_user_model().objects.get_or_create(username=name)
    account.groups.add(Group.objects.get(name=group))
    return account


def measure(client, url):
    client.get(url)
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return statistics.median(times), max(times), len(context), size


def main():
    setup_roles()
    en = Locale.get_default()
    issuer = InstitutionPage.objects.get(slug="secretariat", locale=en)
    term = FieldOfWork.objects.get(slug="countering-terrorism", locale=en)
    country = CountryPage.objects.get(slug="ukraine", locale=en)
    kind = PublicationType.objects.get(slug="press-release", locale=en)
    queries = {
        "first page, newest first": "",
        "page 1000": "?p=1000",
        "issuer": f"?issued_by={issuer.pk}",
        "field of work": f"?fields_of_work={term.pk}",
        "country": f"?countries={country.pk}",
        "content type": f"?publication_type={kind.pk}",
        "language": "?locale=en",
        "status draft": "?status=draft",
        "status in moderation": "?status=in_moderation",
        "date range (2019)": "?issued_on_from=2019-01-01&issued_on_to=2019-12-31",
        "all filters": (
            f"?issued_by={issuer.pk}&fields_of_work={term.pk}&publication_type={kind.pk}"
            "&issued_on_from=2015-01-01&issued_on_to=2025-12-31&status=live"
        ),
        "search 'election'": "?q=election",
        "CSV export, field of work": f"?export=csv&fields_of_work={term.pk}",
    }
    total = NewsItemPage.objects.count()
    print(f"{total} news items; {ROUNDS} rounds; database {connection.vendor}")
    print(f"{'request':32} {'median ms':>10} {'max ms':>8} {'queries':>8} {'bytes':>9}")
    for role, group in (("moderator", MODERATORS), ("editor", EDITORS)):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user(f"bench-{role}", group))
        print(f"-- as {role}")
        for label, query in queries.items():
            median, worst, count, size = measure(client, URL + query)
            print(f"{label:32} {median:10.0f} {worst:8.0f} {count:8d} {size:9d}")


if __name__ == "__main__":
    main()
