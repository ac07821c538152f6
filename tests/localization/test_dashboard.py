"""The translators' dashboard shows each translation's state and leads into the editor."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource

from home.models import StandardPage

from .conftest import soup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

DASHBOARD = "/admin/translations/"


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(user)
    return client


def english(path):
    home = Page.objects.get(depth=2, locale__language_code="en")
    return Page.objects.get(url_path=f"{home.url_path}{path}", locale=home.locale).specific


def cells(client, page):
    response = client.get(DASHBOARD, {"section": page.get_parent().pk})
    assert response.status_code == 200
    row = soup(response).find("a", href=f"/admin/pages/{page.pk}/edit/").find_parent("tr")
    return {
        cell["data-language"]: (cell["data-state"], cell.a["href"], cell.get_text(strip=True))
        for cell in row.select("td[data-language]")
    }


def test_a_translated_page_is_published_in_every_language(admin_client):
    finland = english("countries/participating-states/finland/")
    states = cells(admin_client, finland)
    assert set(states) == {"fr", "de", "it", "ru", "es"}
    for language, (state, url, _label) in states.items():
        translation = finland.get_translation(Locale.objects.get(language_code=language))
        assert state == "published"
        assert url == reverse("wagtailadmin_pages:edit", args=[translation.pk])
    assert cells(admin_client, finland)["fr"][2] == "Published"


def test_a_new_english_page_is_missing_and_links_to_starting_its_translation(admin_client):
    partners = english("countries/asian-partners-for-co-operation/")
    page = StandardPage(title="Partnership fund", slug="partnership-fund", locale=partners.locale)
    partners.add_child(instance=page)
    page.save_revision().publish()
    states = cells(admin_client, page)
    assert {state for state, _url, _label in states.values()} == {"missing"}
    submit = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    assert states["ru"][1] == f"{submit}?select_locale=ru"
    assert admin_client.get(states["ru"][1]).status_code == 200


def test_a_page_changed_in_english_is_out_of_date_until_synchronised(
    admin_client, django_capture_on_commit_callbacks
):
    finland = english("countries/participating-states/finland/")
    finland.summary = "Finland held the OSCE Chairpersonship in 2025."
    finland.save_revision().publish()
    states = cells(admin_client, finland)
    assert {state for state, _url, _label in states.values()} == {"out_of_date"}

    source, _ = TranslationSource.update_or_create_from_instance(finland)
    with django_capture_on_commit_callbacks(execute=True):
        source.create_or_update_translation(Locale.objects.get(language_code="de"), fallback=True)
    states = cells(admin_client, finland)
    assert states["de"][0] == "published"
    assert states["fr"][0] == "out_of_date"


def test_a_draft_translation_is_in_progress(admin_client):
    finland = english("countries/participating-states/finland/")
    french = finland.get_translation(Locale.objects.get(language_code="fr")).specific
    french.title = "Finlande (brouillon)"
    french.save_revision()
    states = cells(admin_client, finland)
    assert states["fr"][0] == "in_progress"
    assert states["de"][0] == "published"


def test_filters_narrow_to_a_section_and_a_language(admin_client):
    partners = english("countries/asian-partners-for-co-operation/")
    response = admin_client.get(
        DASHBOARD, {"section": partners.pk, "language": Locale.objects.get(language_code="ru").pk}
    )
    page = soup(response)
    rows = page.select("tbody tr")
    titles = [row.th.get_text(strip=True) for row in rows]
    assert titles == [
        "Asian Partners for Co-operation",
        "Afghanistan",
        "Australia",
        "Japan",
        "Republic of Korea",
        "Thailand",
    ]
    assert [th.get_text(strip=True) for th in page.select("thead th")] == ["Page", "Русский"]


def test_the_state_filter_lists_only_pages_in_that_state(admin_client):
    finland = english("countries/participating-states/finland/")
    finland.summary = "Changed."
    finland.save_revision().publish()
    rows = soup(admin_client.get(DASHBOARD, {"state": "out_of_date"})).select("tbody tr")
    assert [row.th.get_text(strip=True) for row in rows] == ["Finland"]


@pytest.mark.parametrize(
    "query", [{"section": "nope"}, {"language": "999999"}, {"p": "x"}, {"state": "??"}]
)
def test_bad_filters_are_ignored_not_errors(admin_client, query):
    assert admin_client.get(DASHBOARD, query).status_code == 200


def test_query_count_does_not_grow_with_the_rows(admin_client):
    partners = english("countries/asian-partners-for-co-operation/")
    with CaptureQueriesContext(connection) as few:
        response = admin_client.get(DASHBOARD, {"section": partners.pk})
    assert len(soup(response).select("tbody tr")) == 6
    states = english("countries/participating-states/")
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(DASHBOARD, {"section": states.pk})
    assert len(soup(response).select("tbody tr")) == 50
    assert len(many) == len(few)


def test_the_dashboard_is_in_the_admin_menu(admin_client):
    response = admin_client.get("/admin/")
    assert DASHBOARD in response.content.decode()


def test_readers_cannot_open_the_dashboard(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
