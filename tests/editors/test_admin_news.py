import csv
import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import InstitutionPage
from newsroom.models import NewsItemPage
from tests.factories import (
    CountryPageFactory,
    FieldOfWorkFactory,
    InstitutionPageFactory,
    PublicationTypeFactory,
    news_item,
)

pytestmark = pytest.mark.django_db

URL = "/admin/news/"


def titles(response):
    page = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in page.select("td.title .title-wrapper a")]


def export(client, query=""):
    response = client.get(f"{URL}?export=csv&{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def terms():
    return {
        "odihr": InstitutionPageFactory(
            title="Office for Democratic Institutions and Human Rights",
            kind=InstitutionPage.Kind.INSTITUTION,
        ),
        "tntd": InstitutionPageFactory(title="Transnational Threats Department"),
        "gender": FieldOfWorkFactory(name="Gender equality"),
        "terrorism": FieldOfWorkFactory(name="Countering terrorism"),
        "finland": CountryPageFactory(title="Finland"),
        "press": PublicationTypeFactory(name="Press release"),
    }


@pytest.fixture
def items(terms):
    election = news_item(
        title="Election observers deployed",
        issued_on=datetime.date(2025, 3, 1),
        issued_by=[terms["odihr"]],
        fields=[terms["gender"]],
        publication_type=terms["press"],
    )
    election.countries = [terms["finland"]]
    election.save_revision().publish()
    workshop = news_item(
        title="Workshop on border security",
        issued_on=datetime.date(2023, 6, 1),
        issued_by=[terms["tntd"]],
        fields=[terms["terrorism"]],
    )
    draft = news_item(title="Unfinished draft", issued_on=datetime.date(2025, 5, 5))
    draft.unpublish()
    return {"election": election, "workshop": workshop, "draft": draft}


def test_news_listing_is_in_the_admin_menu_and_lists_news_newest_first(client, editor, items):
    client.force_login(editor)
    dashboard = client.get("/admin/")
    assert URL in dashboard.content.decode()
    response = client.get(URL)
    assert response.status_code == 200
    listed = titles(response)
    assert listed.index("Unfinished draft") < listed.index("Election observers deployed")
    assert listed.index("Election observers deployed") < listed.index("Workshop on border security")


@pytest.mark.parametrize(
    "query, expected, excluded",
    [
        ("issued_by={odihr}", "Election observers deployed", "Workshop on border security"),
        (
            "fields_of_work={terrorism}",
            "Workshop on border security",
            "Election observers deployed",
        ),
        ("countries={finland}", "Election observers deployed", "Workshop on border security"),
        ("publication_type={press}", "Election observers deployed", "Workshop on border security"),
        ("status=draft", "Unfinished draft", "Election observers deployed"),
        ("status=live", "Workshop on border security", "Unfinished draft"),
        (
            "issued_on_from=2025-01-01&issued_on_to=2025-12-31",
            "Election observers deployed",
            "Workshop on border security",
        ),
        ("locale=en", "Election observers deployed", None),
        ("q=border", "Workshop on border security", "Election observers deployed"),
    ],
)
def test_filters_narrow_the_listing(client, editor, items, terms, query, expected, excluded):
    client.force_login(editor)
    query = query.format(**{key: term.pk for key, term in terms.items()})
    listed = titles(client.get(f"{URL}?{query}"))
    assert expected in listed
    if excluded:
        assert excluded not in listed


def test_bad_filter_values_are_ignored_or_reported_never_a_server_error(client, editor, items):
    client.force_login(editor)
    for query in [
        "issued_by=999999",
        "issued_by=abc",
        "status=nonsense",
        "issued_on_from=not-a-date",
        "ordering=nonsense",
        "p=9999",
        "locale=xx",
    ]:
        assert client.get(f"{URL}?{query}").status_code < 500, query


def test_csv_export_contains_exactly_the_filtered_items(client, editor, items, terms):
    client.force_login(editor)
    rows = export(client, f"issued_by={terms['odihr'].pk}")
    assert "Election observers deployed" in [row["Title"] for row in rows]
    assert "Workshop on border security" not in [row["Title"] for row in rows]
    assert all("Democratic Institutions" in row["Issued by"] for row in rows)
    row = next(row for row in rows if row["Title"] == "Election observers deployed")
    assert row["Issued on"] == "2025-03-01"
    assert "Democratic Institutions" in row["Issued by"]
    assert row["Fields of work"] == "Gender equality"
    assert row["Countries"] == "Finland"
    assert row["Content type"] == "Press release"
    assert row["Language"] == "en"
    assert row["Status"] == "live"

    everything = export(client)
    assert len(everything) == NewsItemPage.objects.count()
    searched = export(client, "q=border")
    assert [row["Title"] for row in searched] == ["Workshop on border security"]


def test_listing_query_count_does_not_grow_with_the_number_of_items(client, editor, terms):
    """A full page of 50 rows costs the same whether 50 or 90 items match.

    wagtail-localize's translation buttons cost two queries a row in every Wagtail page
    listing (see test_admin_news_rows.py); pagination caps that at 50 rows.
    """
    from tests.factories import many_news_items

    client.force_login(editor)
    many_news_items(50 - NewsItemPage.objects.count())

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert len(titles(response)) == 50
        return len(queries)

    full_page = count()
    many_news_items(40)
    assert count() <= full_page + 1


def test_people_without_admin_access_cannot_see_the_listing(client, db):
    from tests.editors.conftest import make_user

    client.force_login(make_user("reader"))
    assert client.get(URL).status_code in (302, 403)
    client.logout()
    assert client.get(URL).status_code == 302
