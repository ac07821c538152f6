"""Translations are wagtail-localize translations: strings, PO files, machine translation.

The first tests are about the demo content's translations and load the demo; the others
build the few pages they translate.
"""

import io
import zipfile

import polib
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Page, Revision
from wagtail_localize.models import (
    LocaleSynchronization,
    StringTranslation,
    Translation,
    TranslationLog,
)

from config.demo import DemoLoader
from home.models import StandardPage
from newsroom.models import NewsIndexPage, NewsItemPage
from tests.factories import (
    CountryPageFactory,
    InstitutionPageFactory,
    SectionIndexPageFactory,
    locale,
    localize,
    newsroom,
)

from .conftest import LANGUAGES

pytestmark = pytest.mark.django_db


def english(path):
    home = Page.objects.get(depth=2, locale__language_code="en")
    return Page.objects.get(url_path=f"{home.url_path}{path}", locale=home.locale).specific


def synchronise_every_language():
    """Every other language synchronised from English: new English pages appear in each tree."""
    for language in LANGUAGES[1:]:
        LocaleSynchronization.objects.create(locale=locale(language), sync_from=locale("en"))


@pytest.fixture
def admin_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("chief", "c@example.org", "pw"))
    return client


@pytest.fixture
def countries(db):
    return SectionIndexPageFactory(title="Countries")


@pytest.fixture
def finland(countries):
    return CountryPageFactory(
        title="Finland", parent=countries, summary="Finland joined the CSCE in 1973."
    )


def test_every_english_page_except_news_is_translated_into_every_language(demo):
    english_pages = Page.objects.filter(locale__language_code="en", depth__gte=2)
    news = NewsItemPage.objects.filter(locale__language_code="en").count()
    for language in LANGUAGES[1:]:
        translated = Page.objects.filter(
            locale__language_code=language, alias_of__isnull=True, live=True
        )
        expected = english_pages.count() - news + (1 if language == "ru" else 0)
        assert translated.count() == expected, language


def test_titles_are_string_translations_the_editor_shows_as_done(demo):
    finland = english("countries/participating-states/finland/")
    translation = Translation.objects.get(
        source__object_id=finland.translation_key, target_locale__language_code="es"
    )
    strings = StringTranslation.objects.filter(
        locale__language_code="es", context__object_id=finland.translation_key
    )
    assert dict(strings.values_list("context__path", "data")) == {"title": "Finlandia"}
    total, done = translation.get_progress()
    assert done == 1 and total > 1  # the title; the English prose awaits a translator


def test_the_seed_item_is_fully_translated_into_russian(demo, seed_item):
    item = NewsItemPage.objects.get(locale__language_code="en", slug=seed_item["slug"])
    translation = Translation.objects.get(
        source__object_id=item.translation_key, target_locale__language_code="ru"
    )
    total, done = translation.get_progress()
    assert total == done
    russian = item.get_translation(locale("ru")).specific
    assert russian.lead == seed_item["translations"]["ru"]["lead"]


def test_running_the_loader_again_changes_nothing(demo):
    revisions = Revision.objects.count()
    logs = TranslationLog.objects.count()
    strings = StringTranslation.objects.count()
    DemoLoader().run()
    assert Revision.objects.count() == revisions
    assert TranslationLog.objects.count() == logs
    assert StringTranslation.objects.count() == strings


def test_every_language_is_synchronised_from_english(demo):
    synced = LocaleSynchronization.objects.values_list(
        "locale__language_code", "sync_from__language_code"
    )
    assert sorted(synced) == sorted((language, "en") for language in LANGUAGES[1:])


def test_a_new_english_page_appears_in_every_tree_as_an_untranslated_copy(admin_client, countries):
    synchronise_every_language()
    response = admin_client.post(
        reverse("wagtailadmin_pages:add", args=["home", "standardpage", countries.pk]),
        {
            "title": "Data protection",
            "slug": "data-protection",
            "summary": "",
            "body-count": "0",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = StandardPage.objects.get(slug="data-protection", locale__language_code="en")
    copies = Page.objects.filter(translation_key=page.translation_key).exclude(pk=page.pk)
    assert sorted(copies.values_list("locale__language_code", flat=True)) == sorted(LANGUAGES[1:])
    assert all(copy.alias_of_id == page.pk for copy in copies)


def test_po_export_and_import_for_a_page(admin_client, finland):
    localize(finland, "it", {"Finland": "Finlandia"})
    translation = Translation.objects.get(
        source__object_id=finland.translation_key, target_locale__language_code="it"
    )
    download = admin_client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    assert download.status_code == 200
    po = polib.pofile(download.content.decode())
    title = next(entry for entry in po if entry.msgctxt == "title")
    assert (title.msgid, title.msgstr) == ("Finland", "Finlandia")
    summary = next(entry for entry in po if entry.msgctxt == "summary")
    summary.msgstr = "La Finlandia ha aderito nel 1973."
    upload = SimpleUploadedFile("finland-it.po", str(po).encode())
    response = admin_client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
        {"file": upload, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert (
        StringTranslation.objects.get(
            locale__language_code="it",
            context__object_id=finland.translation_key,
            context__path="summary",
        ).data
        == "La Finlandia ha aderito nel 1973."
    )


def test_machine_translation_fills_the_missing_strings(admin_client, settings, finland):
    assert settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR["CLASS"].endswith("DummyTranslator")
    localize(finland, "de", {"Finland": "Finnland"})
    translation = Translation.objects.get(
        source__object_id=finland.translation_key, target_locale__language_code="de"
    )
    response = admin_client.post(
        reverse("wagtail_localize:machine_translate", args=[translation.pk]), {"next": "/admin/"}
    )
    assert response.status_code == 302
    total, done = translation.get_progress()
    assert total == done > 1
    title = StringTranslation.objects.get(
        locale__language_code="de",
        context__object_id=finland.translation_key,
        context__path="title",
    )
    assert title.data == "Finnland"  # a human translation is never overwritten


def test_po_files_of_a_whole_section_go_out_and_come_back(admin_client, countries):
    partners = SectionIndexPageFactory(title="Asian Partners for Co-operation", parent=countries)
    japan, thailand = (
        CountryPageFactory(title=name, parent=partners, summary=f"{name} is a partner.")
        for name in ("Japan", "Thailand")
    )
    for page in (partners, japan, thailand):
        localize(page, "ru")
    russian = locale("ru")
    response = admin_client.get(
        reverse("localization_export_po"), {"section": partners.pk, "language": russian.pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert len(names) == 3  # the section and its two countries
    assert "countries-asian-partners-for-co-operation-japan-ru.po" in names

    returned = io.BytesIO()
    with zipfile.ZipFile(returned, "w") as out:
        for name in names:
            po = polib.pofile(archive.read(name).decode())
            for entry in po:
                if entry.msgctxt == "summary":
                    entry.msgstr = f"Партнер ОБСЕ ({name})"
            out.writestr(name, str(po))
    upload = SimpleUploadedFile("asia-ru.zip", returned.getvalue(), content_type="application/zip")
    response = admin_client.post(reverse("localization_import_po"), {"archive": upload})
    assert response.status_code == 302
    summary = StringTranslation.objects.get(
        locale=russian, context__object_id=japan.translation_key, context__path="summary"
    )
    assert summary.data.startswith("Партнер ОБСЕ")


@pytest.mark.parametrize("content", [b"not a zip", b"", None], ids=["garbage", "empty", "no file"])
def test_a_bad_upload_is_a_message_not_an_error(admin_client, content):
    data = {} if content is None else {"archive": SimpleUploadedFile("x.zip", content)}
    response = admin_client.post(reverse("localization_import_po"), data, follow=True)
    assert response.status_code == 200
    assert "zip archive" in response.content.decode()


def test_section_export_needs_a_section_and_a_language(admin_client):
    response = admin_client.get(reverse("localization_export_po"), {"section": "x"})
    assert response.status_code == 302


def test_a_new_english_news_item_stays_in_the_english_newsroom(admin_client):
    english_newsroom = newsroom()
    secretariat = InstitutionPageFactory(title="Secretariat")
    synchronise_every_language()
    assert NewsIndexPage.objects.filter(locale__language_code="fr").exists()
    response = admin_client.post(
        reverse("wagtailadmin_pages:add", args=["newsroom", "newsitempage", english_newsroom.pk]),
        {
            "title": "Mission opens an office in Osh",
            "slug": "mission-opens-an-office-in-osh",
            "lead": "The office opened today.",
            "issued_on": "2025-03-01",
            "issued_by": [secretariat.pk],
            "body-count": "0",
            "related_links-TOTAL_FORMS": "0",
            "related_links-INITIAL_FORMS": "0",
            "related_links-MIN_NUM_FORMS": "0",
            "related_links-MAX_NUM_FORMS": "6",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    copies = Page.objects.filter(title="Mission opens an office in Osh")
    assert list(copies.values_list("locale__language_code", flat=True)) == ["en"]
