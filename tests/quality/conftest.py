import pytest
from django.test import override_settings
from wagtail.models import Locale

from directory.models import CountryPage, FieldOfWorkPage, InstitutionPage
from home.models import HomePage, SectionIndexPage
from newsroom.models import NewsIndexPage, NewsItemPage

LANGUAGES = ["en", "ru"]


def _in(language, page):
    locale = Locale.objects.get(language_code=language)
    return page.get_translation_or_none(locale) or page


def public_pages(language):
    """(name, URL) of one page of each kind readers meet, in ``language``."""
    english = Locale.objects.get(language_code="en")
    field = FieldOfWorkPage.objects.live().filter(locale=english).order_by("path").first()
    pages = {
        "home": HomePage.objects.get(locale=english),
        "section index": SectionIndexPage.objects.filter(locale=english, depth=3)
        .order_by("path")
        .first(),
        "field of work": field,
        "country": CountryPage.objects.live().filter(locale=english).order_by("path").first(),
        "structure": InstitutionPage.objects.live()
        .filter(locale=english, slug="secretariat")
        .first(),
        "news item": NewsItemPage.objects.live().filter(locale=english).order_by("pk").first(),
    }
    urls = [(name, _in(language, page).url) for name, page in pages.items()]
    newsroom = _in(language, NewsIndexPage.objects.get(locale=english)).url
    slug = field.field_of_work.slug if field.field_of_work_id else ""
    urls += [
        ("newsroom with filters", f"{newsroom}?field={slug}"),
        ("search results", f"/{language}/search/?q=OSCE"),
        ("404 page", f"/{language}/no-such-page/"),
    ]
    return urls


@pytest.fixture
def page_cache():
    """The page cache switched on (the rest of the suite runs without it)."""
    with override_settings(PAGE_CACHE_ENABLED=True):
        yield
