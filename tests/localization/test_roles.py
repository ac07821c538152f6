"""A translator translates into the assigned language and cannot touch the others."""

import polib
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation

from directory.models import FieldOfWork
from home.models import MainMenu

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

FINLAND = "countries/participating-states/finland/"


def page_in(language, path=FINLAND):
    home = Page.objects.get(depth=2, locale__language_code=language)
    return Page.objects.get(url_path=f"{home.url_path}{path}").specific


@pytest.fixture
def translator(client):
    user = get_user_model().objects.create_user("amelie", "amelie@example.org", "pw")
    user.groups.add(Group.objects.get(name="Translators: Français"))
    client.force_login(user)
    return user


def test_every_language_has_a_translators_group():
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
def test_a_translator_edits_and_publishes_only_their_language(translator, language, allowed):
    permissions = page_in(language).permissions_for_user(translator)
    assert permissions.can_edit() is allowed
    assert permissions.can_publish() is allowed


def test_the_translation_editor_opens_for_french_and_not_for_english(client, translator):
    french = client.get(reverse("wagtailadmin_pages:edit", args=[page_in("fr").pk]))
    assert french.status_code == 200
    assert "Finlande" in french.content.decode()
    assert refused(client.get(reverse("wagtailadmin_pages:edit", args=[page_in("en").pk])))


def test_a_translator_cannot_change_the_english_source(client, translator):
    finland = page_in("en")
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
def test_a_translator_edits_only_their_languages_taxonomy(client, translator, language, allowed):
    term = FieldOfWork.objects.get(slug="countering-terrorism", locale__language_code=language)
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
    client, translator, language, allowed
):
    menu = MainMenu.objects.get(locale__language_code="en")
    translation = Translation.objects.get(
        source__object_id=menu.translation_key,
        target_locale=Locale.objects.get(language_code=language),
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


def test_a_translator_cannot_machine_translate_another_language(client, translator):
    finland = page_in("en")
    translation = Translation.objects.get(
        source__object_id=finland.translation_key, target_locale__language_code="de"
    )
    response = client.post(
        reverse("wagtail_localize:machine_translate", args=[translation.pk]),
        {"next": "/admin/pages/"},
    )
    assert refused(response)
    assert translation.get_progress()[1] == 1  # still only the title
