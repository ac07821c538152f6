import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, Page, Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from config.roles import EDITORS, REVIEW_WORKFLOW, setup_roles
from directory.models import InstitutionPage
from newsroom.models import NewsItemPage
from tests.factories import (
    CountryPageFactory,
    FieldOfWorkFactory,
    InstitutionPageFactory,
    news_item,
    newsroom,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    """A newsroom and a directory section, with an issuer and a term to use."""
    return SimpleNamespace(
        newsroom=newsroom(),
        country=CountryPageFactory(title="Finland"),
        issuer=InstitutionPageFactory(title="Transnational Threats Department"),
        term=FieldOfWorkFactory(name="Countering terrorism"),
    )


@pytest.fixture
def roles(site):
    """The roles and workflows, set up once the sections they cover exist."""
    return setup_roles()


def news_form(title, issuer):
    data = nested_form_data(
        {
            "title": title,
            "slug": slugify(title),
            "lead": "The mission welcomed the adoption of the law.",
            "issued_on": "2025-06-02",
            "body": streamfield(
                [
                    (
                        "quote",
                        {"quote": "A good day.", "speaker": "Ada Head", "role": "Head of Mission"},
                    )
                ]
            ),
            "related_links": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    data["issued_by"] = [issuer.pk]
    return data


def form_errors(response):
    form = response.context and response.context.get("form")
    return form.errors if form is not None else response.status_code


def create_as(client, user, action, title="Mission welcomes new law"):
    client.force_login(user)
    data = news_form(title, InstitutionPage.objects.get(title="Transnational Threats Department"))
    if action:
        data[action] = "1"
    add = reverse("wagtailadmin_pages:add", args=["newsroom", "newsitempage", newsroom().pk])
    response = client.post(add, data)
    assert response.status_code == 302, form_errors(response)
    return NewsItemPage.objects.get(title=title, locale=Locale.get_default())


def act(client, user, page, action):
    client.force_login(user)
    state = page.current_workflow_state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, state.pk])
    return client.post(url, {"comment": ""})


def test_setup_roles_is_idempotent(roles, site):
    counts = (Group.objects.count(), Workflow.objects.count())
    call_command("setup_roles", stdout=open("/dev/null", "w"))
    setup_roles()
    assert (Group.objects.count(), Workflow.objects.count()) == counts
    review = Workflow.objects.get(name=REVIEW_WORKFLOW)
    assert [t.name for t in review.tasks] == ["Editorial review", "Publication approval"]
    assert site.newsroom.get_workflow() == review
    assert site.country.get_workflow() == review


def test_setup_roles_takes_publishing_away_from_editors(roles):
    from wagtail.models import GroupPagePermission

    editors = Group.objects.get(name=EDITORS)
    GroupPagePermission.objects.create(
        group=editors, page=Page.get_first_root_node(), permission_type="publish"
    )
    setup_roles()
    assert not GroupPagePermission.objects.filter(
        group=editors, permission__codename="publish_page"
    ).exists()


def test_an_editor_cannot_publish(client, editor):
    page = create_as(client, editor, "action-publish", title="Editor tries to publish")
    page.refresh_from_db()
    assert not page.live
    assert not page.permissions_for_user(editor).can_publish()
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'name="action-publish"' not in edit
    assert 'name="action-submit"' in edit


def test_a_moderator_can_publish(client, moderator):
    page = create_as(client, moderator, "action-publish", title="Moderator publishes")
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200


def test_a_submitted_item_goes_live_only_after_both_review_steps(
    client, editor, colleague, moderator
):
    page = create_as(client, editor, "action-submit")
    page.refresh_from_db()
    assert not page.live
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Editorial review"

    assert act(client, colleague, page, "approve").status_code in (200, 302)
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.current_task_state.task.name == "Publication approval"

    # Editors cannot act on the moderators' step.
    act(client, editor, page, "approve")
    page.refresh_from_db()
    assert not page.live

    assert act(client, moderator, page, "approve").status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert page.current_workflow_state is None
    assert client.get(page.url).status_code == 200


def test_a_moderator_can_send_an_item_back(client, editor, moderator):
    page = create_as(client, editor, "action-submit", title="Needs work")
    act(client, moderator, page, "approve")
    act(client, moderator, page, "reject")
    page.refresh_from_db()
    assert not page.live
    assert page.workflow_states.filter(status=WorkflowState.STATUS_NEEDS_CHANGES).exists()


def test_scheduled_publishing_and_unpublishing(client, moderator):
    soon = timezone.now() + datetime.timedelta(hours=1)
    page = news_item(title="Scheduled item")
    page.unpublish()
    page.go_live_at = soon
    page.expire_at = soon + datetime.timedelta(days=1)
    page.save_revision(user=moderator).publish()
    page.refresh_from_db()
    assert not page.live

    call_command("publish_scheduled", stdout=open("/dev/null", "w"))
    page.refresh_from_db()
    assert not page.live

    page.go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    page.save_revision(user=moderator).publish()
    call_command("publish_scheduled", stdout=open("/dev/null", "w"))
    page.refresh_from_db()
    assert page.live

    NewsItemPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(1))
    call_command("publish_scheduled", stdout=open("/dev/null", "w"))
    page.refresh_from_db()
    assert not page.live and page.expired


def test_editors_see_revisions_and_compare_them(client, editor):
    page = news_item(title="First title")
    page.title = "Second title"
    page.save_revision()
    client.force_login(editor)
    history = client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert history.status_code == 200
    revisions = list(page.revisions.order_by("created_at"))
    compare = client.get(
        reverse(
            "wagtailadmin_pages:revisions_compare",
            args=[page.pk, revisions[0].pk, revisions[-1].pk],
        )
    )
    assert compare.status_code == 200
    text = compare.content.decode()
    assert "First" in text and "Second" in text


def test_a_locked_page_cannot_be_edited_by_someone_else(client, editor, colleague, moderator):
    page = news_item(title="Locked item")
    client.force_login(editor)
    response = client.post(reverse("wagtailadmin_pages:lock", args=[page.pk]))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.locked and page.locked_by == editor
    assert page.permissions_for_user(colleague).page_locked()
    # Only moderators may unlock someone else's lock.
    client.force_login(colleague)
    client.post(reverse("wagtailadmin_pages:unlock", args=[page.pk]))
    page.refresh_from_db()
    assert page.locked
    client.force_login(moderator)
    client.post(reverse("wagtailadmin_pages:unlock", args=[page.pk]))
    page.refresh_from_db()
    assert not page.locked


def test_taxonomy_and_settings_are_for_moderators(client, editor, moderator, site):
    url = reverse("wagtailsnippets_directory_fieldofwork:edit", args=[site.term.pk])
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)
    client.force_login(moderator)
    assert client.get(url).status_code == 200
