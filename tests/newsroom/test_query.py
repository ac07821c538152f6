"""The newsroom's read model: the facet index gives the same answers as plain SQL.

``NewsQuery`` answers every listing of news on the site from the per-language facet
index of bitsets; its ``"sql"`` implementation asks the same questions of the page
tables with the ORM. Both are run here on one built archive (structures with units
and sub-units, fields of work, countries, content types, dates with ties, words, two
languages, featured, withdrawn and restricted items) for many filter combinations,
and must agree on the count, every facet count, the ids of every page in order and
the featured item. A few answers are also checked against what was built.
"""

import datetime
import random

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from directory.models import InstitutionPage
from newsroom.filters import NewsFilters, read_filters
from newsroom.query import NewsQuery
from tests.factories import (
    CountryPageFactory,
    FieldOfWorkFactory,
    InstitutionPageFactory,
    PublicationTypeFactory,
    locale,
    news_item,
    newsroom,
    translate,
)
from tests.snapshot import module_data

pytestmark = pytest.mark.django_db

WORDS = ["osce", "election", "border", "water", "youth", "dialogue"]


def build():
    rng = random.Random(20261203)
    secretariat = InstitutionPageFactory(
        title="Secretariat", kind=InstitutionPage.Kind.SECRETARIAT, issuer_name="OSCE Secretariat"
    )
    threats = InstitutionPageFactory(title="Transnational Threats Department", parent=secretariat)
    structures = {
        "secretariat": secretariat,
        "threats": threats,
        "borders": InstitutionPageFactory(title="Border Security Unit", parent=threats),
        "gender": InstitutionPageFactory(title="Gender Issues Programme", parent=secretariat),
        "odihr": InstitutionPageFactory(
            title="Democratic Institutions Office", kind=InstitutionPage.Kind.INSTITUTION
        ),
        "kosovo": InstitutionPageFactory(
            title="Mission in Kosovo", kind=InstitutionPage.Kind.FIELD_OPERATION
        ),
    }
    fields = [
        FieldOfWorkFactory(name=name)
        for name in ("Elections", "Border management", "Gender equality", "Water")
    ]
    countries = [CountryPageFactory(title=name) for name in ("Finland", "Malta", "Georgia")]
    types = [PublicationTypeFactory(name=name) for name in ("Press release", "Statement")]

    days = [
        datetime.date(2021, 1, 1) + datetime.timedelta(days=rng.randrange(1500)) for _ in range(30)
    ]
    items = []
    for n in range(48):
        words = rng.sample(WORDS, rng.randint(1, 3))
        items.append(
            news_item(
                title=f"Item {n} on {words[0]}",
                lead=f"The {' and '.join(words)} of item {n}.",
                # Some days hold several items: ties are broken by creation, newest first.
                issued_on=rng.choice(days),
                issued_by=rng.sample(list(structures.values()), rng.choice([1, 1, 2])),
                fields=rng.sample(fields, rng.randint(0, 2)),
                countries=rng.sample(countries, rng.randint(0, 2)),
                publication_type=rng.choice([*types, None]),
                featured=n in (5, 17, 30),
            )
        )
    # Withdrawn and restricted items are never listed.
    items[3].unpublish()
    items[17].unpublish()
    PageViewRestriction.objects.create(page=items[8], restriction_type=PageViewRestriction.LOGIN)
    # French: translated items keep pointing at the English terms; one term is
    # translated, one French copy withdrawn, one item French only.
    fields[0].copy_for_translation(locale("fr")).save()
    french = [translate(item, "fr") for item in items[:12] if item.live]
    french[2].unpublish()
    news_item(
        parent=newsroom("fr"),
        title="Seulement en français",
        issued_on=datetime.date(2022, 2, 2),
        issued_by=[structures["borders"]],
        fields=[fields[1]],
    )
    return {
        "items": items,
        "structures": structures,
        "fields": fields,
        "countries": countries,
        "types": types,
    }


built_once = module_data(build)


@pytest.fixture(autouse=True)
def archive(built_once, db):
    return built_once


def combinations():
    slug = {
        "elections": "elections",
        "borders": "border-management",
        "gender": "gender-equality",
        "water": "water",
    }
    day = datetime.date
    return [
        NewsFilters(),
        NewsFilters(fields=(slug["elections"],)),
        NewsFilters(fields=(slug["borders"], slug["water"])),
        NewsFilters(countries=("finland",)),
        NewsFilters(countries=("georgia", "malta")),
        NewsFilters(issuers=("secretariat",)),
        NewsFilters(issuers=("transnational-threats-department",)),
        NewsFilters(issuers=("border-security-unit",)),
        NewsFilters(issuers=("gender-issues-programme", "mission-in-kosovo")),
        NewsFilters(types=("press-release",)),
        NewsFilters(types=("press-release", "statement")),
        NewsFilters(date_from=day(2022, 1, 1)),
        NewsFilters(date_to=day(2022, 6, 30)),
        NewsFilters(date_from=day(2022, 3, 1), date_to=day(2023, 3, 1)),
        NewsFilters(date_from=day(2024, 1, 1), date_to=day(2023, 1, 1)),
        NewsFilters(query="osce"),
        NewsFilters(query="Election WATER"),
        NewsFilters(query="seulement"),
        NewsFilters(query="nowhere-to-be-found"),
        NewsFilters(query="!!! ???"),
        NewsFilters(fields=("no-such-field",)),
        NewsFilters(issuers=("secretariat",), fields=(slug["borders"],), query="border"),
        NewsFilters(
            countries=("finland", "georgia"),
            types=("statement",),
            date_from=day(2021, 6, 1),
        ),
        NewsFilters(
            fields=(slug["elections"], slug["gender"]),
            issuers=("secretariat", "democratic-institutions-office"),
            types=("press-release",),
            date_to=day(2024, 12, 31),
            query="the",
        ),
    ]


COMBINATIONS = combinations()


def facet_counts(query):
    return {
        facet.name: {(o.slug, o.selected): o.count for o in facet.options}
        for facet in query.facets()
    }


def all_ids(query, size):
    ids, start = [], 0
    while True:
        chunk = query.ids(start, start + size)
        ids += chunk
        if len(chunk) < size:
            return ids
        start += size


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "filters", COMBINATIONS, ids=[f.querystring() or "everything" for f in COMBINATIONS]
)
def test_the_index_answers_as_sql_does(language, filters):
    index = NewsQuery(filters, locale(language), using="index")
    sql = NewsQuery(filters, locale(language), using="sql")
    assert index.count() == sql.count()
    assert facet_counts(index) == facet_counts(sql)
    everything = all_ids(sql, 1000)
    assert len(everything) == sql.count()
    for size in (1, 4, 20):
        assert all_ids(index, size) == everything
    for number in (1, 2, 3, 99):
        assert [item.pk for item in index.page(number, 5)] == [
            item.pk for item in sql.page(number, 5)
        ]
    assert index.featured_id() == sql.featured_id()
    assert [item.pk for item in index.latest(3, exclude=everything[:1])] == everything[1:4]


def test_the_answers_are_those_of_the_built_archive(archive):
    english = locale("en")
    items = archive["items"]
    listed = [item for n, item in enumerate(items) if n not in (3, 8, 17)]
    for using in ("index", "sql"):
        everything = NewsQuery(NewsFilters(), english, using=using)
        assert everything.count() == len(listed)
        expected = sorted(listed, key=lambda item: (item.issued_on, item.pk), reverse=True)
        assert everything.ids(0, 100) == [item.pk for item in expected]
        # The newest featured that is listed (the one withdrawn is not).
        featured = [item for item in expected if item.featured]
        assert everything.featured_id() == featured[0].pk

        units = {
            archive["structures"][key].pk for key in ("secretariat", "threats", "borders", "gender")
        }
        secretariat = NewsQuery(NewsFilters(issuers=("secretariat",)), english, using=using)
        assert secretariat.ids(0, 100) == [
            item.pk for item in expected if {p.pk for p in item.issued_by.all()} & units
        ]


def test_french_readers_see_french_news_found_by_the_english_terms(archive):
    french = locale("fr")
    for using in ("index", "sql"):
        news = NewsQuery(NewsFilters(fields=("border-management",)), french, using=using)
        titles = [item.title for item in news.items(0, 100)]
        assert "Seulement en français" in titles
        assert all(item.locale_id == french.pk for item in news.items(0, 100))
        by_secretariat = NewsQuery(NewsFilters(issuers=("secretariat",)), french, using=using)
        assert "Seulement en français" in [item.title for item in by_secretariat.items(0, 100)]


def test_cards_name_a_unit_after_its_structure():
    news = NewsQuery(NewsFilters(issuers=("border-security-unit",)), locale("en"))
    cards = news.items(0, 100)
    assert cards
    for card in cards:
        labels = [label for label, _url in card.issuers]
        assert "Transnational Threats Department, Border Security Unit" in labels


@pytest.mark.parametrize(
    "filters", COMBINATIONS, ids=[f.querystring() or "everything" for f in COMBINATIONS]
)
def test_filters_round_trip_through_their_query_string(filters):
    assert NewsFilters.from_querystring(filters.querystring()) == filters
    form = read_filters(QueryDict(filters.querystring()), locale("en"))
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        assert form.errors and form.filters.date_from is None
    elif "no-such-field" in filters.fields:
        assert form.unknown and form.filters.fields == ()
    else:
        assert form.filters == filters
        assert not form.errors and not form.unknown


def test_a_filter_nothing_carries_matches_nothing_but_readers_input_ignores_it():
    english = locale("en")
    assert NewsQuery(NewsFilters(countries=("atlantis",)), english).count() == 0
    form = read_filters(QueryDict("country=atlantis&country=finland"), english)
    assert form.filters.countries == ("finland",)
    assert form.unknown == [("Country", "atlantis")]


def test_a_page_of_cards_costs_the_same_queries_whatever_its_size():
    english = locale("en")
    costs = []
    for size in (2, 20):
        NewsQuery(NewsFilters(), english).count()  # the index is built by the first reader
        with CaptureQueriesContext(connection) as context:
            page = NewsQuery(NewsFilters(fields=("elections",)), english).page(1, size)
            assert len(page.object_list) == min(size, page.paginator.count)
        costs.append(len(context.captured_queries))
    assert costs[0] == costs[1]
