import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Locale, Site

from directory.models import FieldOfWork
from home.models import OrganisationSettings
from newsroom.models import PublicationType
from tests.factories import FieldOfWorkFactory, news_item

pytestmark = pytest.mark.django_db


def test_the_logo_appears_in_the_header_once_set(client):
    assert not BeautifulSoup(client.get("/en/").content, "html.parser").select(".site-header__logo")
    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 120), (0, 80, 160)).save(buffer, "PNG")
    logo = Image.objects.create(title="Logo", file=ImageFile(buffer, name="logo.png"))
    settings = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.logo = logo
    settings.save()
    from django.core.cache import cache

    cache.clear()
    header = BeautifulSoup(client.get("/en/").content, "html.parser").select_one(".site-header")
    img = header.select_one("img.site-header__logo")
    assert img is not None and img["alt"] == ""
    assert img["height"] == "48"
    assert header.select_one(".site-header__name").get_text(strip=True) == settings.name


def test_organisation_settings_are_editable_in_the_admin(admin_client):
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["home", "organisationsettings", site.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    for field in ["name", "logo", "email", "address", "x_url", "linkedin_url"]:
        assert f'name="{field}"' in response.content.decode(), field


def used_by(admin_client, url, name):
    page = BeautifulSoup(admin_client.get(url).content, "html.parser")
    row = next(tr for tr in page.select("tbody tr") if name in tr.get_text())
    return row.select("td")[-1]


def test_fields_of_work_show_how_many_news_items_use_them(admin_client):
    term = FieldOfWorkFactory(name="Gender equality")
    news_item(title="An item on gender", fields=[term])
    news_item(title="Another item on gender", fields=[term])
    url = reverse("wagtailsnippets_directory_fieldofwork:list") + "?locale=en&q=gender"
    cell = used_by(admin_client, url, "Gender equality")
    assert cell.get_text(strip=True) == "2 news items"
    link = cell.a["href"]
    assert link == f"/admin/news/?fields_of_work={term.pk}"
    listing = admin_client.get(link).content.decode()
    assert "Another item on gender" in listing


def test_unused_content_types_say_so(admin_client):
    en = Locale.get_default()
    unused = PublicationType.objects.create(name="Podcast", slug="podcast", locale=en)
    url = reverse("wagtailsnippets_newsroom_publicationtype:list") + "?locale=en"
    assert used_by(admin_client, url, unused.name).get_text(strip=True) == "Not used"


@pytest.mark.xfail(
    strict=True,
    reason="app: the fields-of-work listing costs about 3 queries a row (21 for 3 rows, 36 for "
    "8); on the demo the added terms fell past the first page, which hid it",
)
def test_snippet_listing_query_count_does_not_grow_with_terms(
    admin_client, django_assert_max_num_queries
):
    for n in range(3):
        news_item(title=f"Item {n}", fields=[FieldOfWorkFactory(name=f"Field {n}")])
    url = reverse("wagtailsnippets_directory_fieldofwork:list")
    admin_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        admin_client.get(url)
    en = Locale.get_default()
    for n in range(5):
        FieldOfWork.objects.create(name=f"Term {n}", slug=f"term-{n}", locale=en)
    with CaptureQueriesContext(connection) as after:
        admin_client.get(url)
    assert len(after) <= len(before) + 1
