"""Script typed into any editor-facing field, or sent in a query string, is shown as text."""

import copy
import json
from types import SimpleNamespace

import pytest
from django.core.validators import MaxLengthValidator
from django.db import models
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.models import Page, Site, get_page_models

from directory.models import FieldOfWork, InstitutionPage
from home.models import Footer, MainMenu, OrganisationSettings
from newsroom.models import PublicationType
from tests.factories import (
    CountryPageFactory,
    FieldOfWorkPageFactory,
    InstitutionPageFactory,
    MeetingPageFactory,
    PublicationTypeFactory,
    StandardPageFactory,
    footer,
    main_menu,
    news_item,
    newsroom,
)
from tests.quality.conftest import public_pages
from tests.snapshot import module_data

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
SHORT = "<script>x</script>"
RAW_MARKERS = ("<script>alert", "<img src=x", "<script>x</script>")
NOT_EDITORIAL = {"draft_title", "url_path", "path", "slug", "iso_code"}
# Fields whose model validation only accepts digits and commas, so no markup can be saved.
NOT_EDITORIAL |= {"chairpersonship_years"}


def build():
    """A page of every type, a news item with its terms, the menu and the footer."""
    field = FieldOfWorkPageFactory(title="Countering terrorism")
    secretariat = InstitutionPageFactory(
        title="Secretariat", kind=InstitutionPage.Kind.SECRETARIAT, issuer_name="OSCE Secretariat"
    )
    about = StandardPageFactory(title="About us")
    CountryPageFactory(title="Finland")
    MeetingPageFactory(title="Ministerial Council")
    item = news_item(
        newsroom(),
        title="Experts meet in Vienna",
        issued_by=[secretariat],
        fields=[field.field_of_work],
        publication_type=PublicationTypeFactory(name="Press release"),
    )
    main_menu((about, "About", [(field, "")]))
    footer("The OSCE works for stability, peace and democracy.", links=[about])
    return SimpleNamespace(item=item)


built_once = module_data(build)


@pytest.fixture(autouse=True)
def site(built_once, db):
    # A copy: the pages a test changes and saves must not carry over to the next test.
    return copy.deepcopy(built_once)


def payload_for(field):
    if field.max_length is None or field.max_length >= len(PAYLOAD):
        return PAYLOAD
    if field.max_length >= len(SHORT):
        return SHORT
    return None


def editor_text_fields(model):
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, (models.CharField, models.TextField))
            and not isinstance(field, (models.URLField, models.EmailField, models.SlugField))
            and field.editable
            and not field.choices
            and all(isinstance(v, MaxLengthValidator) for v in field.validators)
            and field.name not in NOT_EDITORIAL
        ):
            yield field


def assert_escaped(html, where):
    for marker in RAW_MARKERS:
        assert marker not in html, f"{marker!r} reached {where} unescaped"
    assert "&lt;script&gt;" in html, f"the payload is not shown on {where} at all"


def body_with_payloads():
    return json.dumps(
        [
            {"type": "heading", "value": {"text": PAYLOAD, "level": "h2"}},
            {"type": "quote", "value": {"quote": PAYLOAD, "speaker": PAYLOAD, "role": PAYLOAD}},
            {
                "type": "key_figures",
                "value": {"heading": PAYLOAD, "figures": [{"figure": SHORT, "label": PAYLOAD}]},
            },
            {
                "type": "call_to_action",
                "value": {
                    "title": PAYLOAD,
                    "text": PAYLOAD,
                    "link": {"page": None, "url": "https://example.org/", "text": PAYLOAD},
                },
            },
        ]
    )


def english_pages_of_every_type():
    seen = {}
    for page in Page.objects.filter(locale__language_code="en", depth__gt=1).live():
        seen.setdefault(page.content_type_id, page)
    return [page.specific for page in seen.values()]


def test_every_text_field_of_every_page_type_is_escaped(client):
    pages = english_pages_of_every_type()
    assert {type(page) for page in pages} == set(get_page_models()) - {Page}
    for page in pages:
        for field in editor_text_fields(type(page)):
            value = payload_for(field)
            if value is not None:
                setattr(page, field.name, value)
        if hasattr(page, "body"):
            page.body = body_with_payloads()
        page.save_revision().publish()

    for page in pages:
        page.refresh_from_db()
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert_escaped(response.text, f"{type(page).__name__} {page.url}")
    assert_escaped(client.get("/en/search/?q=script").text, "search results")


def test_snippets_settings_and_menu_labels_are_escaped(client, site):
    FieldOfWork.objects.filter(locale__language_code="en").update(name=PAYLOAD[:120])
    PublicationType.objects.filter(locale__language_code="en").update(name=SHORT)
    settings = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.name = settings.address = PAYLOAD
    settings.short_name = SHORT
    settings.save()
    Footer.objects.filter(locale__language_code="en").update(text=PAYLOAD)
    menu = MainMenu.objects.get(locale__language_code="en")
    sections = menu.sections.raw_data
    sections[0]["value"]["label"] = PAYLOAD
    menu.sections = sections
    menu.save()

    for url in ("/en/", site.item.url, newsroom().url):
        assert_escaped(client.get(url).text, url)


def test_rich_text_from_the_editor_cannot_carry_scripts_or_script_links(client, site):
    contentstate = {
        "blocks": [
            {
                "key": "a1b2c",
                "text": '<script>alert("xss")</script> click me',
                "type": "unstyled",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 30, "length": 8, "key": 0}],
                "data": {},
            }
        ],
        "entityMap": {
            "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(1)"}}
        },
    }
    widget = DraftailRichTextArea(features=["link", "bold"])
    html = widget.value_from_datadict({"body": json.dumps(contentstate)}, {}, "body")
    news = site.item
    news.body = json.dumps([{"type": "paragraph", "value": html}])
    news.save_revision().publish()

    page = client.get(news.url).text
    assert_escaped(page, "a news item's rich text")
    assert "javascript:" not in page


@pytest.mark.parametrize("language", ["en"])
def test_hostile_query_strings_are_escaped_everywhere(client, language):
    hostile = {
        "q": PAYLOAD,
        "page": PAYLOAD,
        "field": PAYLOAD,
        "country": PAYLOAD,
        "issuer": PAYLOAD,
        "type": PAYLOAD,
        "from": PAYLOAD,
        "to": PAYLOAD,
        PAYLOAD: PAYLOAD,
    }
    for name, url in public_pages(language):
        response = client.get(url.split("?")[0], hostile)
        assert response.status_code < 500, name
        for marker in RAW_MARKERS:
            assert marker not in response.text, f"{marker!r} reflected on {name}"
