"""The translators' dashboard shows each translation's state and leads into the editor."""

import copy

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail_localize.models import TranslationSource

from home.models import StandardPage
from tests.factories import locale, translated_directory
from tests.snapshot import module_data

from .conftest import soup

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/translations/"


built_once = module_data(translated_directory)


@pytest.fixture
def site(built_once, db):
    # A copy: the pages a test changes and saves must not carry over to the next test.
    return copy.deepcopy(built_once)


@pytest.fixture
def admin_client(client, site):
    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(user)
    return client


def cells(client, page):
    response = client.get(DASHBOARD, {"section": page.get_parent().pk})
    assert response.status_code == 200
    row = soup(response).find("a", href=f"/admin/pages/{page.pk}/edit/").find_parent("tr")
    return {
        cell["data-language"]: (cell["data-state"], cell.a["href"], cell.get_text(strip=True))
        for cell in row.select("td[data-language]")
    }


def titles(response):
    return [row.th.get_text(strip=True) for row in soup(response).select("tbody tr")]


def test_a_translated_page_is_published_in_every_language(admin_client, site):
    states = cells(admin_client, site.finland)
    assert set(states) == {"fr", "de", "it", "ru", "es"}
    for language, (state, url, _label) in states.items():
        translation = site.finland.get_translation(locale(language))
        assert state == "published"
        assert url == reverse("wagtailadmin_pages:edit", args=[translation.pk])
    assert states["fr"][2] == "Published"


def test_a_new_english_page_is_missing_and_links_to_starting_its_translation(admin_client, site):
    page = StandardPage(title="Partnership fund", slug="partnership-fund", locale=locale("en"))
    site.partners.add_child(instance=page)
    page.save_revision().publish()
    states = cells(admin_client, page)
    assert {state for state, _url, _label in states.values()} == {"missing"}
    submit = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    assert states["ru"][1] == f"{submit}?select_locale=ru"
    assert admin_client.get(states["ru"][1]).status_code == 200


def test_a_page_changed_in_english_is_out_of_date_until_synchronised(
    admin_client, site, django_capture_on_commit_callbacks
):
    finland = site.finland
    finland.summary = "Finland held the OSCE Chairpersonship in 2025."
    finland.save_revision().publish()
    states = cells(admin_client, finland)
    assert {state for state, _url, _label in states.values()} == {"out_of_date"}

    source, _ = TranslationSource.update_or_create_from_instance(finland)
    with django_capture_on_commit_callbacks(execute=True):
        source.create_or_update_translation(locale("de"), fallback=True)
    states = cells(admin_client, finland)
    assert states["de"][0] == "published"
    assert states["fr"][0] == "out_of_date"


def test_a_draft_translation_is_in_progress(admin_client, site):
    french = site.finland.get_translation(locale("fr")).specific
    french.title = "Finlande (brouillon)"
    french.save_revision()
    states = cells(admin_client, site.finland)
    assert states["fr"][0] == "in_progress"
    assert states["de"][0] == "published"


def test_filters_narrow_to_a_section_and_a_language(admin_client, site):
    response = admin_client.get(
        DASHBOARD, {"section": site.partners.pk, "language": locale("ru").pk}
    )
    assert titles(response) == ["Asian Partners for Co-operation", "Japan", "Thailand"]
    header = [th.get_text(strip=True) for th in soup(response).select("thead th")]
    assert header == ["Page", "Русский"]


def test_the_state_filter_lists_only_pages_in_that_state(admin_client, site):
    site.finland.summary = "Changed."
    site.finland.save_revision().publish()
    response = admin_client.get(DASHBOARD, {"state": "out_of_date"})
    assert titles(response) == ["Finland"]


@pytest.mark.parametrize(
    "query", [{"section": "nope"}, {"language": "999999"}, {"p": "x"}, {"state": "??"}]
)
def test_bad_filters_are_ignored_not_errors(admin_client, query):
    assert admin_client.get(DASHBOARD, query).status_code == 200


def test_query_count_does_not_grow_with_the_rows(admin_client, site):
    with CaptureQueriesContext(connection) as few:
        response = admin_client.get(DASHBOARD, {"section": site.partners.pk})
    assert len(titles(response)) == 3
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(DASHBOARD, {"section": site.countries.pk})
    assert len(titles(response)) == 5
    assert len(many) == len(few)


def test_the_dashboard_is_in_the_admin_menu(admin_client):
    response = admin_client.get("/admin/")
    assert DASHBOARD in response.content.decode()


def test_readers_cannot_open_the_dashboard(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
