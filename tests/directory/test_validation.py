"""The rules an editor meets on directory pages and news items, in the admin and on the model.

Each rule is tried the way an editor meets it: the admin form answers with the rule's
message next to the field and nothing is saved or published. ``full_clean()`` shows the
same rule on the model alone.
"""

import datetime

import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import slugify
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from directory.models import CountryPage, InstitutionPage, MeetingPage
from newsroom.models import NewsItemPage
from tests import factories as f

pytestmark = pytest.mark.django_db

YEARS_MESSAGE = "Enter four-digit years separated by commas."
STATUS_MESSAGE = "A structure with a closing year must be closed."
CLOSED_MESSAGE = "It cannot close before it was established."
MEETING_MESSAGE = "The meeting cannot end before it starts."
ALT_MESSAGE = "Describe the main image for readers who cannot see it."


def add_url(model, parent):
    return reverse(
        "wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk]
    )


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def form_data(title, **fields):
    data = nested_form_data(
        {
            "title": title,
            "slug": slugify(title),
            "summary": "",
            "body": streamfield([]),
            **fields,
        }
    )
    return {key: value for key, value in data.items() if value is not None}


def field_errors(response, name):
    """The messages the admin form shows beside field ``name``."""
    assert response.status_code == 200, "the admin accepted the form"
    form = response.context["form"]
    page = BeautifulSoup(response.content, "html.parser")
    assert "The page could not be" in page.get_text(), "no error banner"
    return form.errors.get(name, [])


def country_fields(**fields):
    return {"group": CountryPage.Group.PARTICIPATING_STATE, "iso_code": "", "joined": "", **fields}


def institution_fields(**fields):
    return {
        "kind": InstitutionPage.Kind.FIELD_OPERATION,
        "acronym": "",
        "issuer_name": "",
        "location": "",
        "status": InstitutionPage.Status.ACTIVE,
        "established": "",
        "closed": "",
        **fields,
    }


# Chairpersonship years and ISO codes -------------------------------------------------


@pytest.mark.parametrize("years", ["2008, 2025", "2025", " 1998 ,2008,2025 ", ""])
def test_chairpersonship_years_accept_four_digit_years_separated_by_commas(years):
    country = CountryPage(title="Finland", slug="finland", chairpersonship_years=years)
    country.full_clean(exclude=["path", "depth", "locale"])


@pytest.mark.parametrize(
    "years", ["2008 2025", "08, 25", "2008;2025", "2008,", "in 2008", "twenty twenty-five"]
)
def test_chairpersonship_years_refuse_anything_else(years):
    country = CountryPage(title="Finland", slug="finland", chairpersonship_years=years)
    with pytest.raises(ValidationError) as error:
        country.full_clean(exclude=["path", "depth", "locale"])
    assert error.value.message_dict["chairpersonship_years"] == [YEARS_MESSAGE]


def test_the_admin_refuses_badly_written_chairpersonship_years_and_keeps_the_page(admin_client):
    country = f.CountryPageFactory(title="Finland", chairpersonship_years="1975")
    revisions = country.revisions.count()
    response = admin_client.post(
        edit_url(country),
        form_data("Finland", **country_fields(chairpersonship_years="2008 and 2025"))
        | {"action-publish": "action-publish"},
    )
    assert field_errors(response, "chairpersonship_years") == [YEARS_MESSAGE]
    assert YEARS_MESSAGE in response.content.decode()
    country.refresh_from_db()
    assert country.chairpersonship_years == "1975"
    assert country.revisions.count() == revisions


def test_the_admin_refuses_a_new_country_with_badly_written_years(admin_client):
    countries = f.SectionIndexPageFactory(title="Countries")
    response = admin_client.post(
        add_url(CountryPage, countries),
        form_data("Finland", **country_fields(chairpersonship_years="08/25"))
        | {"action-publish": "action-publish"},
    )
    assert field_errors(response, "chairpersonship_years") == [YEARS_MESSAGE]
    assert not CountryPage.objects.filter(title="Finland").exists()


def test_the_admin_saves_the_years_and_an_upper_case_iso_code(admin_client):
    countries = f.SectionIndexPageFactory(title="Countries")
    response = admin_client.post(
        add_url(CountryPage, countries),
        form_data("Finland", **country_fields(iso_code="fi", chairpersonship_years="2008, 2025"))
        | {"action-publish": "action-publish"},
    )
    assert response.status_code == 302
    finland = CountryPage.objects.get(title="Finland")
    assert finland.live
    assert finland.iso_code == "FI"
    assert finland.chairpersonship_year_list == [2008, 2025]


def test_full_clean_upper_cases_the_iso_code():
    country = CountryPage(title="Finland", slug="finland", iso_code="fi")
    country.full_clean(exclude=["path", "depth", "locale"])
    assert country.iso_code == "FI"


# Closed structures --------------------------------------------------------------------


def test_a_structure_with_a_closing_year_must_be_closed():
    mission = InstitutionPage(
        title="Mission to Croatia", slug="croatia", kind="field_operation", closed=2007
    )
    with pytest.raises(ValidationError) as error:
        mission.full_clean(exclude=["path", "depth", "locale"])
    assert error.value.message_dict["status"] == [STATUS_MESSAGE]
    mission.status = InstitutionPage.Status.CLOSED
    mission.full_clean(exclude=["path", "depth", "locale"])


def test_a_structure_cannot_close_before_it_was_established():
    mission = InstitutionPage(
        title="Mission to Croatia",
        slug="croatia",
        kind="field_operation",
        status=InstitutionPage.Status.CLOSED,
        established=1996,
        closed=1995,
    )
    with pytest.raises(ValidationError) as error:
        mission.full_clean(exclude=["path", "depth", "locale"])
    assert error.value.message_dict["closed"] == [CLOSED_MESSAGE]
    mission.closed = 1996  # closing in its first year is possible
    mission.full_clean(exclude=["path", "depth", "locale"])


def test_the_admin_refuses_a_closing_year_on_an_active_structure(admin_client):
    mission = f.InstitutionPageFactory(
        title="Mission to Croatia", kind=InstitutionPage.Kind.FIELD_OPERATION, established=1996
    )
    revisions = mission.revisions.count()
    response = admin_client.post(
        edit_url(mission),
        form_data("Mission to Croatia", **institution_fields(established="1996", closed="2007"))
        | {"action-publish": "action-publish"},
    )
    assert field_errors(response, "status") == [STATUS_MESSAGE]
    assert STATUS_MESSAGE in response.content.decode()
    mission.refresh_from_db()
    assert (mission.status, mission.closed) == (InstitutionPage.Status.ACTIVE, None)
    assert mission.revisions.count() == revisions


def test_the_admin_refuses_a_structure_closed_before_it_was_established(admin_client):
    structures = f.SectionIndexPageFactory(title="Structures")
    response = admin_client.post(
        add_url(InstitutionPage, structures),
        form_data(
            "Mission to Croatia",
            **institution_fields(status="closed", established="1996", closed="1995"),
        )
        | {"action-publish": "action-publish"},
    )
    assert field_errors(response, "closed") == [CLOSED_MESSAGE]
    assert CLOSED_MESSAGE in response.content.decode()
    assert not InstitutionPage.objects.filter(title="Mission to Croatia").exists()


def test_the_admin_saves_a_closed_structure(admin_client):
    structures = f.SectionIndexPageFactory(title="Structures")
    response = admin_client.post(
        add_url(InstitutionPage, structures),
        form_data(
            "Mission to Croatia",
            **institution_fields(status="closed", established="1996", closed="2007"),
        )
        | {"action-publish": "action-publish"},
    )
    assert response.status_code == 302
    mission = InstitutionPage.objects.get(title="Mission to Croatia")
    assert mission.live and (mission.established, mission.closed) == (1996, 2007)


# Meeting dates ------------------------------------------------------------------------


def test_a_meeting_cannot_end_before_it_starts():
    meeting = MeetingPage(
        title="Ministerial Council",
        slug="mc",
        start_date=datetime.date(2024, 12, 5),
        end_date=datetime.date(2024, 12, 4),
    )
    with pytest.raises(ValidationError) as error:
        meeting.full_clean(exclude=["path", "depth", "locale"])
    assert error.value.message_dict["end_date"] == [MEETING_MESSAGE]
    meeting.end_date = meeting.start_date  # a one-day meeting
    meeting.full_clean(exclude=["path", "depth", "locale"])


def meeting_fields(start, end):
    return {"start_date": start, "end_date": end, "venue": ""}


def test_the_admin_refuses_a_meeting_that_ends_before_it_starts(admin_client):
    series = f.MeetingSeriesPageFactory(title="Ministerial Council")
    response = admin_client.post(
        add_url(MeetingPage, series),
        form_data("Malta 2024", **meeting_fields("2024-12-05", "2024-12-04"))
        | {"action-publish": "action-publish"},
    )
    assert field_errors(response, "end_date") == [MEETING_MESSAGE]
    assert MEETING_MESSAGE in response.content.decode()
    assert not MeetingPage.objects.filter(title="Malta 2024").exists()


def test_the_admin_keeps_a_meeting_whose_new_end_is_before_its_start(admin_client):
    meeting = f.MeetingPageFactory(
        title="Malta 2024",
        start_date=datetime.date(2024, 12, 5),
        end_date=datetime.date(2024, 12, 6),
    )
    revisions = meeting.revisions.count()
    response = admin_client.post(
        edit_url(meeting),
        form_data("Malta 2024", **meeting_fields("2024-12-05", "2024-11-06"))
        | {"action-publish": "action-publish"},
    )
    assert field_errors(response, "end_date") == [MEETING_MESSAGE]
    meeting.refresh_from_db()
    assert meeting.end_date == datetime.date(2024, 12, 6)
    assert meeting.revisions.count() == revisions


def test_the_admin_saves_a_meeting_of_several_days(admin_client):
    series = f.MeetingSeriesPageFactory(title="Ministerial Council")
    response = admin_client.post(
        add_url(MeetingPage, series),
        form_data("Malta 2024", **meeting_fields("2024-12-05", "2024-12-06"))
        | {"action-publish": "action-publish"},
    )
    assert response.status_code == 302
    assert MeetingPage.objects.get(title="Malta 2024").live


# The news item's main image -------------------------------------------------------------


def news_fields(issuer, image, alt_text):
    data = {
        "lead": "The mission welcomed the adoption of the law.",
        "issued_on": "2025-06-02",
        "hero_image": image.pk if image else "",
        "hero_alt_text": alt_text,
        "hero_caption": "",
        "related_links": inline_formset([]),
    }
    return data, {"issued_by": [issuer.pk]}


def post_news_item(admin_client, url, title, image, alt_text):
    issuer = f.InstitutionPageFactory(title="Secretariat")
    fields, lists = news_fields(issuer, image, alt_text)
    data = form_data(title, **fields) | lists | {"action-publish": "action-publish"}
    return admin_client.post(url, data)


def test_a_main_image_needs_alt_text():
    image = wagtail_factories.ImageFactory(title="Delegates")
    item = NewsItemPage(
        title="Council meets",
        slug="council-meets",
        lead="The Council met.",
        hero_image=image,
        hero_alt_text="  ",
    )
    with pytest.raises(ValidationError) as error:
        item.full_clean(exclude=["path", "depth", "locale"])
    assert error.value.message_dict["hero_alt_text"] == [ALT_MESSAGE]
    item.hero_alt_text = "Delegates around the Council's table"
    item.full_clean(exclude=["path", "depth", "locale"])
    item.hero_image, item.hero_alt_text = None, ""  # no image, nothing to describe
    item.full_clean(exclude=["path", "depth", "locale"])


@pytest.mark.parametrize("alt_text", ["", "   "])
def test_the_admin_refuses_a_news_item_whose_image_has_no_alt_text(admin_client, alt_text):
    image = wagtail_factories.ImageFactory(title="Delegates")
    response = post_news_item(
        admin_client, add_url(NewsItemPage, f.newsroom()), "Council meets", image, alt_text
    )
    assert field_errors(response, "hero_alt_text") == [ALT_MESSAGE]
    assert ALT_MESSAGE in response.content.decode()
    assert not NewsItemPage.objects.filter(title="Council meets").exists()


def test_the_admin_keeps_a_published_item_when_its_new_image_has_no_alt_text(admin_client):
    item = f.NewsItemPageFactory(title="Council meets")
    revisions = item.revisions.count()
    image = wagtail_factories.ImageFactory(title="Delegates")
    response = post_news_item(admin_client, edit_url(item), "Council meets", image, "")
    assert field_errors(response, "hero_alt_text") == [ALT_MESSAGE]
    item.refresh_from_db()
    assert item.hero_image is None
    assert item.revisions.count() == revisions


def test_the_admin_publishes_a_news_item_whose_image_is_described(admin_client):
    image = wagtail_factories.ImageFactory(title="Delegates")
    response = post_news_item(
        admin_client,
        add_url(NewsItemPage, f.newsroom()),
        "Council meets",
        image,
        "Delegates around the Council's table",
    )
    assert response.status_code == 302
    item = NewsItemPage.objects.get(title="Council meets")
    assert item.live and item.hero_image == image
    page = BeautifulSoup(admin_client.get(item.url).content, "html.parser")
    alts = [img.get("alt") for img in page.select("main img")]
    assert "Delegates around the Council's table" in alts
