"""The footer is a translatable snippet: its text and links follow the reader's language."""

import pytest
from bs4 import BeautifulSoup

from home.models import Footer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def footer(client, url):
    return BeautifulSoup(client.get(url).content, "html.parser").select_one("footer")


def test_the_footer_is_in_the_readers_language(client):
    english = footer(client, "/en/")
    assert "world's largest regional security organization" in english.get_text()
    assert english.find("a", string="About us")["href"] == "/en/about-us/"

    russian = footer(client, "/ru/")
    assert "крупнейшая в мире региональная организация" in russian.get_text()
    about = russian.select_one('nav a[href^="/ru/"]')
    assert about is not None and about.get_text(strip=True) != "About us"


def test_each_language_has_its_footer_translated_through_wagtail_localize():
    source = Footer.objects.get(locale__language_code="en")
    translations = source.get_translations()
    assert {t.locale.language_code for t in translations} == {"fr", "de", "it", "ru", "es"}


def test_a_changed_footer_shows_on_the_next_request(client):
    footer(client, "/en/")
    item = Footer.objects.get(locale__language_code="en")
    item.text = "A new footer sentence."
    item.save()
    assert "A new footer sentence." in footer(client, "/en/").get_text()
