"""A translator translates a page in wagtail-localize's editor and publishes it; a reader
then reads it in French and switches to Russian, in a real browser."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "translate-with-care-2025"
FINLAND = "countries/participating-states/finland/"
ENGLISH = "Finland is one of the 35 States that signed the Helsinki Final Act in 1975"
FRENCH = (
    "La Finlande est l'un des 35 États signataires de l'Acte final d'Helsinki, "
    "document fondateur de la CSCE, signé à Helsinki le 1er août 1975."
)


def test_translator_publishes_a_french_page_and_a_reader_switches_language(
    demo_site, live_server, page
):
    user = get_user_model().objects.create_user("amelie", "amelie@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="Translators: Français"))
    french_home = Page.objects.get(depth=2, locale__language_code="fr")
    finland = Page.objects.get(url_path=f"{french_home.url_path}{FINLAND}")
    participating_states = finland.get_parent().get_translation(Locale.get_default())
    base = live_server.url.replace("127.0.0.1", "localhost")

    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "amelie")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/admin/")

    page.goto(f"{base}/admin/translations/?section={participating_states.pk}")
    cell = page.locator(f'td[data-language="fr"] a[href="/admin/pages/{finland.pk}/edit/"]')
    assert cell.text_content().strip() == "Published"
    cell.click()
    page.wait_for_url(f"{base}/admin/pages/{finland.pk}/edit/")

    segment = page.locator("li", has_text=ENGLISH).last
    segment.get_by_role("button", name="Translate").click()
    segment.locator("textarea").fill(FRENCH)
    segment.get_by_role("button", name="Save").click()
    segment.get_by_role("button", name="Edit").wait_for()
    page.get_by_role("button", name="Publish in Français").click()
    page.wait_for_load_state("networkidle")

    page.goto(f"{base}/fr/{FINLAND}")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Finlande"
    assert page.get_by_text(FRENCH).is_visible()
    assert not page.get_by_text(ENGLISH).is_visible()

    page.locator(".language-switcher").get_by_role("link", name="Русский").click()
    page.wait_for_url(f"{base}/ru/{FINLAND}")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == "Финляндия"
