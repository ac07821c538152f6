import pytest
from django.urls import reverse
from wagtail.models import Page

from directory.models import (
    CountryPage,
    FieldOfWorkPage,
    InstitutionPage,
    MeetingPage,
    MeetingSeriesPage,
)
from home.models import HomePage, SectionIndexPage, StandardPage
from newsroom.models import NewsIndexPage, NewsItemPage
from tests.factories import CountryPageFactory, home, newsroom

pytestmark = pytest.mark.django_db

# Each type, where the admin lets editors create it and what it lets them add under it.
# A child is offered only when both sides agree (the parent's subpage_types and the
# child's parent_page_types).
EXPECTED = {
    HomePage: (
        {Page},
        {SectionIndexPage, StandardPage, NewsIndexPage},
    ),
    StandardPage: ({HomePage, SectionIndexPage, InstitutionPage}, set()),
    SectionIndexPage: (
        {HomePage, SectionIndexPage},
        {
            SectionIndexPage,
            StandardPage,
            FieldOfWorkPage,
            MeetingSeriesPage,
            CountryPage,
            InstitutionPage,
        },
    ),
    FieldOfWorkPage: ({SectionIndexPage}, set()),
    CountryPage: ({SectionIndexPage}, set()),
    InstitutionPage: ({SectionIndexPage, InstitutionPage}, {InstitutionPage, StandardPage}),
    MeetingSeriesPage: ({SectionIndexPage}, {MeetingPage}),
    MeetingPage: ({MeetingSeriesPage}, set()),
    NewsIndexPage: ({HomePage}, {NewsItemPage}),
    NewsItemPage: ({NewsIndexPage}, set()),
}


@pytest.mark.parametrize("model", EXPECTED, ids=lambda model: model.__name__)
def test_each_page_type_offers_only_valid_parents_and_children(model):
    parents, children = EXPECTED[model]
    assert set(model.allowed_parent_page_models()) == parents
    assert set(model.allowed_subpage_models()) == children


def test_the_admin_offers_only_news_items_in_the_newsroom(admin_client):
    response = admin_client.get(reverse("wagtailadmin_pages:add_subpage", args=[newsroom().pk]))
    # A single allowed type skips the type chooser and opens the news item form.
    assert response.status_code == 302
    assert "/add/newsroom/newsitempage/" in response["Location"]


def test_the_admin_refuses_a_news_item_outside_the_newsroom(admin_client):
    url = reverse("wagtailadmin_pages:add", args=["newsroom", "newsitempage", home().pk])
    response = admin_client.get(url, follow=True)
    assert "Sorry, you do not have permission" in response.content.decode()
    assert 'name="lead"' not in response.content.decode()


def test_a_country_cannot_hold_pages(admin_client):
    finland = CountryPageFactory(title="Finland")
    url = reverse("wagtailadmin_pages:add", args=["home", "standardpage", finland.pk])
    response = admin_client.get(url, follow=True)
    assert 'name="body-count"' not in response.content.decode()
    assert CountryPage.allowed_subpage_models() == []


def test_one_newsroom_per_language():
    newsroom()
    assert not NewsIndexPage.can_create_at(home())
