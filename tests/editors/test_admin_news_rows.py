"""What each row of the admin's News listing offers, and what a page of rows costs.

The listing answers Wagtail's per-row permission questions without a query per row
(``newsroom.admin_views.LeafPagePermissionTester``); these tests hold it to Wagtail's own
answers and to a query count that does not follow the number of rows.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, PagePermissionTester
from wagtail_localize import wagtail_hooks as localize_hooks
from wagtail_localize.operations import TranslationCreator

from config.roles import grant_model_permissions, grant_page_permissions, setup_roles
from tests.editors.conftest import make_user
from tests.factories import locale, many_news_items, news_item, newsroom
from tests.snapshot import module_data

pytestmark = pytest.mark.django_db

URL = "/admin/news/"


def rows(response):
    """Each listed item's title, mapped to the links and checkboxes its row offers."""
    page = BeautifulSoup(response.content, "html.parser")
    listed = {}
    for row in page.select("table.listing tbody tr"):
        title = row.select_one("td.title .title-wrapper")
        if title is None:
            continue
        listed[title.get_text(" ", strip=True)] = {
            "links": {a["href"].split("?")[0] for a in row.select("a[href]")},
            "checkboxes": [
                (box["data-object-id"], box["data-page-status"])
                for box in row.select("input[data-bulk-action-checkbox]")
            ],
        }
    return listed


@pytest.fixture(autouse=True)
def languages(db):
    """The site's content languages, so that rows can offer to translate."""
    return [locale(code) for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


thirty_items = module_data(lambda: many_news_items(30))


def offered(row, page, action):
    return f"/admin/pages/{page.pk}/{action}/" in row["links"]


@pytest.fixture
def live_item(db):
    return news_item(title="Published item", issued_on=datetime.date(2031, 1, 2))


@pytest.fixture
def draft_item(db):
    page = news_item(title="Draft item", issued_on=datetime.date(2031, 1, 1))
    page.unpublish()
    return page


def listed_rows(client, user):
    client.force_login(user)
    response = client.get(f"{URL}?issued_on_from=2031-01-01")
    assert response.status_code == 200
    return rows(response)


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_row_actions_are_the_ones_wagtail_allows(client, request, role, live_item, draft_item):
    user = request.getfixturevalue(role)
    listed = listed_rows(client, user)
    for page in (live_item, draft_item):
        row = next(row for title, row in listed.items() if title.startswith(page.title))
        wagtail = PagePermissionTester(user, Page.objects.get(pk=page.pk))
        assert offered(row, page, "edit") == wagtail.can_edit()
        assert offered(row, page, "delete") == wagtail.can_delete()
        assert offered(row, page, "move") == wagtail.can_move()
        assert offered(row, page, "unpublish") == wagtail.can_unpublish()
        translate = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
        assert translate in row["links"]
        assert row["checkboxes"] == [(str(page.pk), "live" if page.live else "draft")]


def test_an_editor_may_delete_or_move_a_draft_but_not_a_published_item(
    client, editor, live_item, draft_item
):
    listed = listed_rows(client, editor)
    live = next(row for title, row in listed.items() if title.startswith("Published item"))
    draft = next(row for title, row in listed.items() if title.startswith("Draft item"))
    assert offered(live, live_item, "edit")
    assert not offered(live, live_item, "delete")
    assert not offered(live, live_item, "move")
    assert not offered(live, live_item, "unpublish")
    assert offered(draft, draft_item, "delete")
    assert offered(draft, draft_item, "move")


def test_a_moderator_may_delete_move_and_unpublish_a_published_item(client, moderator, live_item):
    row = next(iter(listed_rows(client, moderator).values()))
    for action in ("edit", "delete", "move", "unpublish"):
        assert offered(row, live_item, action), action


def test_an_author_may_edit_and_delete_only_their_own_drafts(client, roles, draft_item):
    """Wagtail's "add" permission: a page of one's own, and deleting it only while unpublished."""
    authors = Group.objects.create(name="Authors")
    grant_page_permissions(authors, Page.get_first_root_node(), ["add"])
    grant_model_permissions(authors, ["wagtailadmin.access_admin"])
    author = make_user("anna")
    author.groups.add(authors)
    own_draft = news_item(title="Own draft", issued_on=datetime.date(2031, 1, 3), owner=author)
    own_draft.unpublish()
    own_live = news_item(title="Own live item", issued_on=datetime.date(2031, 1, 4), owner=author)

    listed = listed_rows(client, author)
    own = next(row for title, row in listed.items() if title.startswith("Own draft"))
    published = next(row for title, row in listed.items() if title.startswith("Own live item"))
    other = next(row for title, row in listed.items() if title.startswith("Draft item"))
    assert offered(own, own_draft, "edit")
    assert offered(own, own_draft, "delete")
    assert offered(published, own_live, "edit")
    assert not offered(published, own_live, "delete")
    assert not offered(other, draft_item, "edit")
    assert not offered(other, draft_item, "delete")


def test_a_translator_lists_only_the_items_of_their_language(client, db):
    news_item(newsroom("fr"), title="Communiqué de test", issued_on=datetime.date(2031, 2, 1))
    news_item(title="English test item", issued_on=datetime.date(2031, 2, 1))
    setup_roles()
    translator = make_user("francoise", "Translators: Français")

    listed = listed_rows(client, translator)
    assert any(title.startswith("Communiqué de test") for title in listed)
    assert not any(title.startswith("English test item") for title in listed)


def listing_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(rows(response))


def page_sizes_cost(client, user):
    """The queries of a listing page of 5 rows and of one of 30 rows."""
    client.force_login(user)
    client.get(URL)  # the first request after a cache clear also caches the site's root paths
    few = listing_queries(client, f"{URL}?issued_on_from=2020-01-26&issued_on_to=2020-01-30")
    many = listing_queries(client, f"{URL}?issued_on_from=2020-01-01&issued_on_to=2020-01-30")
    assert (few[1], many[1]) == (5, 30)
    return few[0], many[0]


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_a_page_of_rows_costs_the_same_queries_whatever_its_size(
    client, request, role, thirty_items
):
    few, many = page_sizes_cost(client, request.getfixturevalue(role))
    assert many == few


def test_translation_buttons_are_the_ones_wagtail_localize_gives(
    client, moderator, live_item, languages
):
    """The listing works the buttons out for all rows at once; the answers must not differ."""
    translated = news_item(title="Translated item", issued_on=datetime.date(2031, 1, 3))
    for language in languages[1:]:
        TranslationCreator(moderator, [language]).create_translations(translated)
    client.force_login(moderator)
    listed = rows(client.get(f"{URL}?issued_on_from=2031-01-01&locale=en"))
    for page in (live_item, translated):
        row = next(row for title, row in listed.items() if title.startswith(page.title))
        page = Page.objects.get(pk=page.pk)
        expected = {
            button.url.split("?")[0]
            for button in localize_hooks.page_listing_more_buttons(page, moderator, next_url="/")
        }
        ours = {link for link in row["links"] if link.startswith("/admin/localize/")}
        assert ours == expected, page.title
    fully_translated = next(row for title, row in listed.items() if title.startswith("Translated"))
    assert not any("submit/page" in link for link in fully_translated["links"])
    assert any("update" in link for link in fully_translated["links"])


def test_the_csv_export_costs_the_same_queries_for_5_or_30_items(client, editor, thirty_items):
    client.force_login(editor)

    def export_queries(query):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{URL}?export=csv&{query}")
            lines = b"".join(response.streaming_content).decode().splitlines()
        return len(queries), len(lines) - 1

    few = export_queries("issued_on_from=2020-01-26&issued_on_to=2020-01-30")
    many = export_queries("issued_on_from=2020-01-01&issued_on_to=2020-01-30")
    assert (few[1], many[1]) == (5, 30)
    assert many[0] == few[0]
