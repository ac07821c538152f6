"""A translator translates into the assigned language and cannot touch the others."""

import copy

import polib
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail_localize.models import Translation

from config.roles import setup_roles
from tests.factories import (
    FieldOfWorkFactory,
    locale,
    localize,
    main_menu,
    translated_directory,
)
from tests.snapshot import module_data

pytestmark = pytest.mark.django_db


def build():
    """Finland in every language, a term and the menu in French and German; then the roles."""
    site = translated_directory()
    site.term = FieldOfWorkFactory(name="Countering terrorism")
    site.menu = main_menu((site.countries, "Countries", [(site.countries, "All")]))
    for language, name in [("fr", "Lutte contre le terrorisme"), ("de", "Terrorismusbekämpfung")]:
        localize(site.term, language, {site.term.name: name})
        localize(site.menu, language)
    setup_roles()
    return site


built_once = module_data(build)


@pytest.fixture
def site(built_once, db):
    # A copy: the pages a test changes and saves must not carry over to the next test.
    return copy.deepcopy(built_once)


def finland_in(site, language):
    return site.finland.get_translation(locale(language)).specific


@pytest.fixture
def translator(client, site):
    user = get_user_model().objects.create_user("amelie", "amelie@example.org", "pw")
    user.groups.add(Group.objects.get(name="Translators: Français"))
    client.force_login(user)
    return user


def test_every_language_has_a_translators_group(site):
    names = set(
        Group.objects.filter(name__startswith="Translators: ").values_list("name", flat=True)
    )
    assert names == {
        "Translators: Français",
        "Translators: Deutsch",
        "Translators: Italiano",
        "Translators: Русский",
        "Translators: Español",
    }


@pytest.mark.parametrize(
    "language, allowed", [("fr", True), ("en", False), ("de", False), ("ru", False)]
)
def test_a_translator_edits_and_publishes_only_their_language(site, translator, language, allowed):
    permissions = finland_in(site, language).permissions_for_user(translator)
    assert permissions.can_edit() is allowed
    assert permissions.can_publish() is allowed


def test_the_translation_editor_opens_for_french_and_not_for_english(client, site, translator):
    french = client.get(reverse("wagtailadmin_pages:edit", args=[finland_in(site, "fr").pk]))
    assert french.status_code == 200
    assert "Finlande" in french.content.decode()
    assert refused(client.get(reverse("wagtailadmin_pages:edit", args=[site.finland.pk])))


def test_a_translator_cannot_change_the_english_source(client, site, translator):
    finland = site.finland
    revisions = finland.revisions.count()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[finland.pk]),
        {"title": "Changed by a translator", "slug": "finland", "action-publish": "publish"},
    )
    assert refused(response)
    finland.refresh_from_db()
    assert finland.title == "Finland"
    assert finland.revisions.count() == revisions


def refused(response):
    """Wagtail's admin answers a PermissionDenied by going home with an error message."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("language, allowed", [("fr", True), ("en", False), ("de", False)])
def test_a_translator_edits_only_their_languages_taxonomy(
    client, site, translator, language, allowed
):
    term = site.term.get_translation(locale(language))
    url = AdminURLFinder(translator).get_edit_url(term)
    response = client.get(url)
    assert (response.status_code == 200) is allowed
    assert refused(response) is not allowed


def po_for(client, translation):
    response = client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    assert response.status_code == 200
    return polib.pofile(response.content.decode())


@pytest.mark.parametrize("language, allowed", [("fr", True), ("de", False)])
def test_a_translator_imports_po_files_into_their_language_only(
    client, site, translator, language, allowed
):
    translation = Translation.objects.get(
        source__object_id=site.menu.translation_key, target_locale=locale(language)
    )
    po = translation.export_po()
    entry = next(entry for entry in po if entry.msgid == "All")
    entry.msgstr = "Toutes et tous"
    upload = SimpleUploadedFile(
        "menu.po", str(po).encode(), content_type="text/x-gettext-translation"
    )
    response = client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
        {"file": upload, "next": "/admin/pages/"},
    )
    assert refused(response) is not allowed
    assert ("Toutes et tous" in str(translation.export_po())) is allowed


def test_a_translator_cannot_machine_translate_another_language(client, site, translator):
    translation = Translation.objects.get(
        source__object_id=site.finland.translation_key, target_locale=locale("de")
    )
    response = client.post(
        reverse("wagtail_localize:machine_translate", args=[translation.pk]),
        {"next": "/admin/pages/"},
    )
    assert refused(response)
    total, done = translation.get_progress()
    assert done == 1 < total  # still only the title
