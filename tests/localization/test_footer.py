"""The footer is a translatable snippet: its text and links follow the reader's language."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail_localize.models import Translation

from tests.factories import StandardPageFactory, footer, locale, localize

from .conftest import LANGUAGES

pytestmark = pytest.mark.django_db

ENGLISH = "The OSCE is the world's largest regional security organization."
RUSSIAN = "ОБСЕ – крупнейшая в мире региональная организация по безопасности."


def rendered_footer(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("footer")


@pytest.fixture
def about(db):
    about = StandardPageFactory(title="About us")
    localize(about, "ru", {"About us": "О нас"})
    return about


def test_the_footer_is_in_the_readers_language(client, about):
    localize(footer(ENGLISH, links=[about]), "ru", {ENGLISH: RUSSIAN})

    english = rendered_footer(client, "/en/")
    assert ENGLISH in english.get_text()
    assert english.find("a", string="About us")["href"] == "/en/about-us/"

    russian = rendered_footer(client, "/ru/")
    assert RUSSIAN in russian.get_text()
    assert ENGLISH not in russian.get_text()
    assert russian.find("a", string="О нас")["href"] == "/ru/about-us/"


def test_the_footer_is_translated_into_every_language_through_wagtail_localize(client, about):
    source = footer(ENGLISH, links=[about])
    others = [locale(language) for language in LANGUAGES[1:]]
    client.force_login(get_user_model().objects.create_superuser("chief", "c@example.org", "pw"))
    url = reverse("wagtail_localize:submit_snippet_translation", args=["home", "footer", source.pk])
    response = client.post(url, {"locales": [other.pk for other in others]})
    assert response.status_code == 302
    translations = source.get_translations()
    assert {t.locale.language_code for t in translations} == set(LANGUAGES[1:])
    assert Translation.objects.filter(
        source__object_id=source.translation_key, target_locale__in=others
    ).count() == len(others)


def test_a_changed_footer_shows_on_the_next_request(client, db):
    item = footer("The first footer sentence.")
    assert "The first footer sentence." in rendered_footer(client, "/en/").get_text()
    item.text = "A new footer sentence."
    item.save()
    assert "A new footer sentence." in rendered_footer(client, "/en/").get_text()
