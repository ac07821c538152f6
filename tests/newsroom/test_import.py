"""Importing archived news from JSON Lines, and the generator of sample items."""

import io
import json

import pytest
from django.core.management import call_command
from wagtail.models import Page

from newsroom.generator import generate
from newsroom.importer import Importer
from newsroom.models import NewsItemPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def jsonl(items):
    return [json.dumps(item) + "\n" for item in items]


def test_generated_items_are_clearly_marked():
    items = list(generate(20, seed=3))
    assert len(items) == 20
    assert all(i["title"].startswith("[Generated]") for i in items)
    assert all(i["slug"].startswith("generated-") for i in items)
    assert all("osce" in (i["title"] + i["lead"]).lower() for i in items)


def test_import_creates_live_searchable_pages_with_relations(client):
    lines = jsonl(generate(120, seed=5))
    summary = Importer(batch_size=50).run(lines)
    assert (summary.created, summary.existing, summary.bad) == (120, 0, 0)
    assert Page.find_problems() == ([], [], [], [], [])

    imported = NewsItemPage.objects.filter(slug__startswith="generated-")
    assert imported.count() == 120
    item = imported.order_by("-issued_on").first()
    assert item.live and item.url.startswith("/en/news/generated-")
    assert item.issued_by.exists() and item.fields_of_work.exists()
    response = client.get(item.url)
    assert response.status_code == 200
    assert item.title in response.content.decode()

    listing = client.get("/en/news/").content.decode()
    assert "127 items" in listing
    search = client.get("/en/search/", {"q": "generated sample"}).content.decode()
    assert "120 results" in search


def test_import_is_idempotent_on_slug():
    lines = jsonl(generate(30))
    Importer().run(lines)
    again = Importer().run(lines)
    assert (again.created, again.existing) == (0, 30)
    assert NewsItemPage.objects.filter(slug__startswith="generated-").count() == 30


def test_bad_lines_are_reported_and_skipped():
    good = list(generate(3))
    lines = [
        json.dumps(good[0]),
        "{not json",
        json.dumps({**good[1], "title": ""}),
        json.dumps({**good[1], "slug": "x1", "issued_on": "2024-02-30"}),
        json.dumps({**good[1], "slug": "x2", "issuer": "nobody"}),
        json.dumps({**good[1], "slug": "x3", "language": "xx"}),
        json.dumps({**good[1], "slug": "x4", "fields_of_work": [1, 2]}),
        json.dumps(["a list"]),
        "",
        json.dumps(good[2]),
        json.dumps(good[2]),
    ]
    summary = Importer().run(lines)
    assert summary.created == 2
    reasons = dict(summary.errors)
    assert reasons[2].startswith("not valid JSON")
    assert reasons[3] == "missing title"
    assert "is not a date" in reasons[4]
    assert reasons[5] == "unknown issuer “nobody”"
    assert reasons[6] == "no newsroom for language “xx”"
    assert "list of slugs" in reasons[7]
    assert reasons[8] == "not a JSON object"
    assert "repeated in the file" in reasons[11]


def test_command_reports_progress_and_a_summary(tmp_path):
    path = tmp_path / "archive.jsonl"
    path.write_text("".join(jsonl(generate(25))) + "oops\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_news", str(path), batch_size=10, stdout=out, stderr=err)
    assert "10 created" in out.getvalue()
    assert "Imported 25 news items" in out.getvalue()
    assert "1 bad lines skipped" in out.getvalue()
    assert "line 26: not valid JSON" in err.getvalue()


def test_generate_command_writes_jsonl(tmp_path):
    path = tmp_path / "items.jsonl"
    call_command("generate_news", "12", output=str(path), stderr=io.StringIO())
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 12
    assert json.loads(lines[0])["slug"] == "generated-0000001"
