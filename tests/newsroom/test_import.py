"""Importing archived news from JSON Lines, and the generator of sample items."""

import io
import json

import pytest
from django.core.management import call_command
from wagtail.models import Page

from directory.models import InstitutionPage
from newsroom.generator import generate
from newsroom.importer import Importer
from newsroom.models import NewsItemPage
from tests.factories import (
    CountryPageFactory,
    FieldOfWorkFactory,
    InstitutionPageFactory,
    PublicationTypeFactory,
    news_item,
)
from tests.snapshot import module_data

pytestmark = pytest.mark.django_db

ISSUERS = {"secretariat", "transnational-threats-department", "mission-in-kosovo"}
FIELDS = {"elections", "countering-terrorism", "gender-equality"}
COUNTRIES = {"finland", "malta", "georgia"}
TYPES = {"press-release", "feature"}


def build_vocabulary():
    """The structures, fields, countries and types the archive refers to, and one item."""
    secretariat = InstitutionPageFactory(
        title="Secretariat", kind=InstitutionPage.Kind.SECRETARIAT, issuer_name="OSCE Secretariat"
    )
    InstitutionPageFactory(title="Transnational Threats Department", parent=secretariat)
    InstitutionPageFactory(title="Mission in Kosovo", kind=InstitutionPage.Kind.FIELD_OPERATION)
    for name in ("Elections", "Countering terrorism", "Gender equality"):
        FieldOfWorkFactory(name=name)
    for name in ("Finland", "Malta", "Georgia"):
        CountryPageFactory(title=name)
    for name in ("Press release", "Feature"):
        PublicationTypeFactory(name=name)
    return news_item(title="Already in the newsroom", issued_by=[secretariat])


built_once = module_data(build_vocabulary)


@pytest.fixture(autouse=True)
def existing_item(built_once, db):
    return built_once


def jsonl(items):
    return [json.dumps(item) + "\n" for item in items]


def test_generated_items_are_clearly_marked():
    items = list(generate(20, seed=3))
    assert len(items) == 20
    assert all(i["title"].startswith("[Generated]") for i in items)
    assert all(i["slug"].startswith("generated-") for i in items)
    assert all("osce" in (i["title"] + i["lead"]).lower() for i in items)
    # Made of the site's own vocabulary, so that filters work on them.
    assert set().union(*(i["issuer"] for i in items)) <= ISSUERS
    assert set().union(*(i["fields_of_work"] for i in items)) <= FIELDS
    assert set().union(*(i["countries"] for i in items)) <= COUNTRIES
    assert {i["type"] for i in items} <= TYPES
    assert list(generate(20, seed=3)) == items


def test_import_creates_live_searchable_pages_with_relations(client):
    generated = {line["slug"]: line for line in generate(120, seed=5)}
    lines = jsonl(generated.values())
    summary = Importer(batch_size=50).run(lines)
    assert (summary.created, summary.existing, summary.bad) == (120, 0, 0)
    assert Page.find_problems() == ([], [], [], [], [])

    imported = NewsItemPage.objects.filter(slug__startswith="generated-")
    assert imported.count() == 120
    item = imported.order_by("-issued_on").first()
    assert item.live and item.url.startswith("/en/news/generated-")
    line = generated[item.slug]
    assert {p.slug for p in item.issued_by.all()} == set(line["issuer"])
    assert {f.slug for f in item.fields_of_work.all()} == set(line["fields_of_work"])
    assert {c.slug for c in item.countries.all()} == set(line["countries"])
    assert item.publication_type.slug == line["type"]
    assert str(item.issued_on) == line["issued_on"]
    response = client.get(item.url)
    assert response.status_code == 200
    assert item.title in response.content.decode()

    listing = client.get("/en/news/").content.decode()
    assert "121 items" in listing  # with the one already there
    search = client.get("/en/search/", {"q": "generated sample"}).content.decode()
    assert "120 results" in search
    facet = client.get("/en/news/", {"issuer": "secretariat"}).content.decode()
    # The Secretariat's news includes its unit's, and the item already there.
    secretariat = {"secretariat", "transnational-threats-department"}
    by_secretariat = [line for line in generated.values() if set(line["issuer"]) & secretariat]
    assert 0 < len(by_secretariat) < 120
    assert f"{len(by_secretariat) + 1} items" in facet


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
